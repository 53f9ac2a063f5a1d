"""Skills a posting offers as alternatives (pipeline.parse.alternatives): "A or B", "A, B, or
C", "a degree in A, B or a related field"; an "and" or a slash asks for every name."""

from __future__ import annotations

import pytest

from pipeline.parse import parse_posting


def offered(line: str) -> dict[str, list[str]]:
    analysis = parse_posting(f"Data Analyst\n\nRequirements\n- {line}\n")
    return {s.name: s.alternatives for s in analysis.hard_skills}


@pytest.mark.parametrize(("line", "expected"), [
    ("Experience with Power BI or Tableau",
     {"Power BI": ["Tableau"], "Tableau": ["Power BI"]}),
    ("Java, Python, or Go",
     {"Java": ["Python", "Go"], "Python": ["Java", "Go"], "Go": ["Java", "Python"]}),
    ("Terraform and/or Ansible", {"Terraform": ["Ansible"], "Ansible": ["Terraform"]}),
    ("Java or Kotlin or Scala",
     {"Java": ["Kotlin", "Scala"], "Kotlin": ["Java", "Scala"], "Scala": ["Java", "Kotlin"]}),
    ("Bachelor's degree in Finance, Accounting or Economics",
     {"Finance": ["Accounting", "Economics"], "Accounting": ["Finance", "Economics"],
      "Economics": ["Finance", "Accounting"]}),
    ("BS in Computer Science, Mathematics or a related field",
     {"Computer science": ["Mathematics"], "Mathematics": ["Computer science"]}),
])
def test_names_joined_by_or_are_alternatives(line: str, expected: dict[str, list[str]]) -> None:
    found = offered(line)
    assert {name: found[name] for name in expected} == expected


@pytest.mark.parametrize("line", [
    "Python, SQL and Airflow",  # every one asked
    "HTML/CSS and JavaScript",  # a slash joins things asked together as often as not
    "Python, SQL, Docker",
    "Python. Or Go, if you must",  # not one run: a sentence ends between them
])
def test_names_asked_together_have_no_alternatives(line: str) -> None:
    assert all(not alternatives for alternatives in offered(line).values()), offered(line)


def test_an_or_closes_its_run() -> None:
    found = offered("AWS or GCP, Docker")
    assert found["AWS"] == ["Google Cloud Platform"]
    assert found["Docker"] == []


def test_a_name_also_asked_on_its_own_has_no_alternatives() -> None:
    analysis = parse_posting("Data Analyst\n\nRequirements\n- SQL and Power BI every day\n"
                             "- A BI tool (Power BI or Tableau)\n")
    found = {s.name: s.alternatives for s in analysis.hard_skills}
    assert found["Power BI"] == []  # asked outright on the first line
    assert found["Tableau"] == ["Power BI"]


def test_names_listed_in_a_parenthesis_are_examples_and_it_is_read_through() -> None:
    found = offered("Experience running services on AWS (EC2, ECS, Lambda) or GCP")
    assert found["Amazon EC2"] == ["Amazon ECS", "AWS Lambda"]
    assert found["AWS"] == ["Google Cloud Platform"]
    assert found["Google Cloud Platform"] == ["AWS"]


def test_a_parenthesis_with_and_asks_for_every_name() -> None:
    found = offered("Experience with AWS (EC2 and Lambda)")
    assert found["Amazon EC2"] == [] and found["AWS Lambda"] == []


def test_a_parenthesis_opening_with_or_offers_its_names_for_the_one_before() -> None:
    found = offered("Build dashboards in Looker (or Tableau) for the growth team")
    assert found["Looker"] == ["Tableau"] and found["Tableau"] == ["Looker"]
