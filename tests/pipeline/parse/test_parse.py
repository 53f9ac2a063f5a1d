"""The parse stage on postings written for the tests."""

from __future__ import annotations

import pytest

from pipeline.errors import InvalidInput
from pipeline.models import (
    EducationLevel,
    JobAnalysis,
    Section,
    Seniority,
    SkillRequirement,
    Tone,
)
from pipeline.parse import parse_posting
from pipeline.parse.posting_facts import years_mentions
from pipeline.parse.sections import split_lines

MARKDOWN_POSTING = """# Senior Backend Engineer

## About us
We are a fintech team that loves Elixir. Diversity and inclusion matter to us.

## What you'll do
- Build services in Python on AWS
- Operate k8s clusters and CI/CD pipelines

## Requirements
- 5+ years of professional experience with Python
- Strong experience with PostgreSQL (Postgres) and REST APIs
- BS in Computer Science, Engineering or a related field
- Excellent communication skills; you are a team player

## Nice to have
- Terraform
- Experience mentoring junior engineers

## Benefits
- Remote-friendly, learning budget, free Docker stickers
"""

PLAIN_POSTING = """Job title: Data Analyst
Company: Example Corp

Who we are:
An equal opportunity employer. The successful candidate shall report to the director.

Qualifications:
At least three years of experience in SQL and Tableau.
Master's degree in Statistics is preferred.
Attention to detail.

Preferred:
Python
"""


def skill(analysis: JobAnalysis, name: str) -> SkillRequirement:
    found = [s for s in analysis.skills() if s.name == name]
    assert found, f"{name} not found in {[s.name for s in analysis.skills()]}"
    return found[0]


def test_markdown_sections_title_and_seniority() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    assert analysis.title == "Senior Backend Engineer"
    assert analysis.seniority == Seniority.senior
    for section in (Section.about, Section.responsibilities, Section.requirements,
                    Section.preferred, Section.benefits):
        assert analysis.sections.get(section, 0) >= 1, section


def test_aliases_surface_forms_and_required() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    pg = skill(analysis, "PostgreSQL")
    assert pg.surface_forms == ["PostgreSQL", "Postgres"]
    assert pg.required and pg.category == "Databases"
    assert skill(analysis, "Kubernetes").surface_forms == ["k8s"]
    assert skill(analysis, "Kubernetes").required


def test_nice_to_have_is_preferred_and_blurb_only_is_low() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    terraform, python = skill(analysis, "Terraform"), skill(analysis, "Python")
    assert not terraform.required
    assert python.importance > terraform.importance
    # Named only in the company blurb and the benefits: never required, and low if kept at
    # all (the mention filter may judge that the posting does not ask for them).
    for name in ("Elixir", "Docker"):
        kept = [s for s in analysis.hard_skills if s.name == name]
        assert all(not s.required and s.importance < terraform.importance for s in kept)
    assert not skill(analysis, "mentoring").required


def test_skills_sorted_by_importance() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    for group in (analysis.hard_skills, analysis.soft_skills):
        values = [s.importance for s in group]
        assert values == sorted(values, reverse=True)


def test_mentions_point_into_the_text() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    for req in analysis.skills():
        for mention in req.mentions:
            assert analysis.text[mention.start:mention.end] == mention.text


def test_years_education_soft_skills_and_culture() -> None:
    analysis = parse_posting(MARKDOWN_POSTING)
    assert analysis.min_years == 5
    assert analysis.education == EducationLevel.bachelor and analysis.education_required
    assert analysis.education_fields == ["Computer Science", "Engineering"]
    assert {s.name for s in analysis.soft_skills} >= {"communication", "teamwork"}
    assert "diversity and inclusion" in analysis.culture.values


def test_plain_text_fields_and_formal_tone() -> None:
    analysis = parse_posting(PLAIN_POSTING)
    assert analysis.title == "Data Analyst"
    assert analysis.company == "Example Corp"
    assert analysis.min_years == 3
    assert analysis.education == EducationLevel.master and not analysis.education_required
    assert skill(analysis, "SQL").required
    assert not skill(analysis, "Python").required
    assert skill(analysis, "attention to detail").kind == "soft"
    assert analysis.culture.tone == Tone.formal


def test_casual_tone() -> None:
    text = "Hey rockstar! 🚀\nYou'll love our awesome team! We're hiring a Go developer!"
    assert parse_posting(text).culture.tone == Tone.casual


@pytest.mark.parametrize(
    ("phrase", "years"),
    [
        ("5+ years of experience with Go", [5]),
        ("at least three years of experience", [3]),
        ("3-5 years experience in data engineering", [3]),
        ("a minimum of 2 years working with SQL", [2]),
        ("Minimum 7 years' experience", [7]),
        ("two years in a similar role", [2]),
        ("founded 20 years ago; 2023 was a good year", []),
        ("2+ years designing instruction, in corporate training or K-12", [2]),
        ("3-5 years managing paid media budgets", [3]),
        ("for two years during which you will", []),
    ],
)
def test_years_phrases(phrase: str, years: list[float]) -> None:
    assert years_mentions(phrase) == years


def test_inline_plus_marks_preferred() -> None:
    analysis = parse_posting("Backend Developer\nYou write Python daily.\nKafka is a plus.\n")
    assert skill(analysis, "Python").required
    assert not skill(analysis, "Apache Kafka").required


def test_plain_headings_are_detected() -> None:
    lines = split_lines("Engineer\nWHAT YOU WILL DO\nship things\nBonus points:\nRust\n")
    sections = {line.text: line.section for line in lines}
    assert sections["ship things"] == Section.responsibilities
    assert sections["Rust"] == Section.preferred


def test_empty_posting_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_posting("   \n ")
    assert info.value.field == "posting"


def test_title_skips_a_leading_section_heading() -> None:
    analysis = parse_posting("## About us\nWe build tools.\n\nStaff Engineer\n")
    assert analysis.title is None  # the blurb sentence is no title either
    assert parse_posting("Company: Acme\nPlatform Engineer\nKubernetes.\n").title == (
        "Platform Engineer")


LINKEDIN_PASTE = """About the job

Northwind Health is a digital health company helping 2 million members manage chronic \
conditions. We're hiring a Demand Generation Manager to build pipeline for our sales teams.

What you'll do
- Plan and run account-based marketing (ABM) campaigns with our ABM platform (Demandbase or 6sense)
- Manage a paid media budget across Google Ads and LinkedIn

What you bring
- Experience with an authoring tool such as Articulate 360 or Camtasia
"""


def test_a_title_only_in_the_opening_prose_is_found() -> None:
    analysis = parse_posting(LINKEDIN_PASTE)
    assert analysis.title == "Demand Generation Manager"
    assert analysis.seniority == Seniority.manager


def test_what_the_company_is_does_not_make_a_requirement() -> None:
    # "Northwind Health is a digital health company": the company's field, not an ask.
    analysis = parse_posting(LINKEDIN_PASTE)
    health = [s for s in analysis.hard_skills if "health" in s.name.lower()]
    assert all(not s.required for s in health)


def test_a_tagged_pair_joined_by_or_is_two_alternatives() -> None:
    analysis = parse_posting(LINKEDIN_PASTE)
    names = {s.name for s in analysis.hard_skills}
    assert {"Demandbase", "6sense"} <= names
    assert not any(" or " in name for name in names)
    assert skill(analysis, "Demandbase").alternatives == ["6sense"]


def test_an_acronym_the_posting_defines_carries_its_long_form() -> None:
    abm = skill(parse_posting(LINKEDIN_PASTE), "ABM")
    assert "account-based marketing" in abm.surface_forms


def test_a_soft_skill_word_inside_a_product_name_is_not_a_soft_skill() -> None:
    # "Articulate 360" is an authoring tool; "articulate" alone would be communication.
    analysis = parse_posting(LINKEDIN_PASTE)
    assert all(m.text != "Articulate" for s in analysis.soft_skills for m in s.mentions)
    stated = parse_posting("## Requirements\n- Articulate complex ideas to executives\n")
    assert [s.name for s in stated.soft_skills] == ["communication"]


def test_a_preference_in_parentheses_is_only_for_what_they_hold() -> None:
    analysis = parse_posting("Backend Engineer\n\nQualifications\n"
                             "- Relational databases (PostgreSQL preferred) and Kafka\n")
    assert not skill(analysis, "PostgreSQL").required
    assert skill(analysis, "Apache Kafka").required
    assert skill(analysis, "Databases").required


def test_a_tagged_duty_keeps_its_object_not_its_verb() -> None:
    analysis = parse_posting("Backend Engineer\n\nResponsibilities\n"
                             "- Mentor engineers and lead technical design reviews\n")
    names = {s.name for s in analysis.hard_skills}
    assert not any(name.startswith("lead ") for name in names)


def test_a_preference_in_its_own_clause_leaves_the_other_clause_asked() -> None:
    analysis = parse_posting("Instructional Designer\n\nRequirements\n"
                             "- Bachelor's degree required; Master's in Education preferred\n")
    assert analysis.education == EducationLevel.bachelor
    assert analysis.education_required


@pytest.mark.parametrize(("line", "asked"), [
    ("Present findings to leadership in clear language", False),
    ("Able to influence sales leadership", False),
    ("Report to the leadership team", False),
    ("Strong leadership and communication", True),
    ("Senior leadership experience", True),
])
def test_leadership_as_the_leaders_is_not_a_skill(line: str, asked: bool) -> None:
    analysis = parse_posting(f"Analyst\n\nRequirements\n- {line}\n")
    assert ("leadership" in {s.name for s in analysis.soft_skills}) is asked


@pytest.mark.parametrize(("line", "named", "not_named"), [
    ("Experience in payments, PCI DSS compliance", "PCI DSS", "DSS"),
    ("Solid grasp of statistics: hypothesis testing, regression", "Hypothesis testing",
     "Software testing"),
    ("Operate services for payment authorization and settlement", None,
     "Identity and access management"),
])
def test_taxonomy_names_whole_terms(line: str, named: str | None, not_named: str) -> None:
    names = {s.name for s in parse_posting(f"Engineer\n\nRequirements\n- {line}\n").hard_skills}
    assert not_named not in names
    assert named is None or named in names


@pytest.mark.parametrize(("line", "names"), [
    ("You will partner with Product and Marketing to grow users", set()),
    ("Work closely with Engineering, Sales and Finance", set()),
    ("Experience in Marketing or Sales", {"Marketing", "Sales"}),
    ("Work with Salesforce and HubSpot", {"Salesforce", "HubSpot"}),
])
def test_departments_the_job_works_with_are_not_skills(line: str, names: set[str]) -> None:
    analysis = parse_posting(f"Analyst\n\nRequirements\n- {line}\n")
    assert {s.name for s in analysis.hard_skills} == names
