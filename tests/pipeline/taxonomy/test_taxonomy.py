"""The shipped taxonomy and the matcher over it."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import load_taxonomy
from pipeline.taxonomy.matcher import get_matcher


def names(text: str, kind: SkillKind | None = None) -> list[str]:
    return [found.name for found in get_matcher().find(text, kind)]


def test_file_carries_attribution_and_sources() -> None:
    raw = resources.files("pipeline").joinpath("data/skills.json").read_bytes()
    assert len(raw) < 2_000_000
    doc = json.loads(raw)
    sources = {a["source"] for a in doc["attribution"]}
    assert sources == {"onet", "esco", "curated"}
    assert any("USDOL/ETA" in a["text"] for a in doc["attribution"])
    assert any("European Union" in a["text"] for a in doc["attribution"])
    seen = {part for entry in doc["skills"] for part in entry["source"].split("+")}
    assert seen == {"onet", "esco", "curated"}


def test_vendor_noise_and_common_words_are_not_aliases() -> None:
    taxonomy = load_taxonomy()
    index = {a.lower() for e in taxonomy.entries for a in e.aliases}
    for word in ("word", "access", "project", "go", "excel", "teams", "google"):
        assert word not in index, word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We run k8s on GCP", ["Kubernetes", "Google Cloud Platform"]),
        ("JS and TS on Node.js", ["JavaScript", "TypeScript", "Node.js"]),
        ("Postgres or psql", ["PostgreSQL", "PostgreSQL"]),
        ("CI/CD pipelines with Jenkins", ["CI/CD", "Jenkins"]),
        ("ReactJS, React.js and NodeJS", ["React", "React", "Node.js"]),
        ("C#, C++ and .NET", ["C#", "C++", ".NET"]),
        ("Spring Boot services", ["Spring"]),
        ("golang microservices", ["Go", "Microservices"]),
        ("Amazon Web Services and ML", ["AWS", "Machine learning"]),
    ],
)
def test_aliases_map_to_canonical_names(text: str, expected: list[str]) -> None:
    assert names(text, SkillKind.hard) == expected


def test_case_sensitive_names_need_their_case_and_context() -> None:
    assert "Go" in names("Services in Go and Python")
    assert "Go" not in names("Go beyond what is asked. We ship weekly.")
    assert "Go" not in names("We go to conferences")
    assert "C" not in names("a Series C startup")
    assert "C" in names("Strong C and C++ programming")
    assert "Excel" in names("Advanced Excel skills")
    assert "Excel" not in names("You will excel at writing")
    assert "R" in names("Statistics in R or Python")


def test_soft_skills_are_found_with_their_kind() -> None:
    found = get_matcher().find("Strong communication skills and a team player", SkillKind.soft)
    assert [(f.name, f.text) for f in found] == [
        ("communication", "communication skills"), ("teamwork", "team player")]


def test_offsets_point_into_the_text() -> None:
    text = "Experience with Kubernetes (k8s)."
    for found in get_matcher().find(text):
        assert text[found.start:found.end] == found.text


def test_lower_case_names_count_only_in_a_list_of_skills() -> None:
    assert names("java, spring and hibernate") == ["Java", "Spring", "Hibernate"]
    assert "Go" not in names("We go to Python events")
    assert "Spring" not in names("In spring we use Java.")


def test_language_names_need_talk_of_language() -> None:
    assert "Danish" in names("Fluent Danish and English are required")
    assert "Danish" not in names("We partner with the Danish health industry")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sass, SCSS, Less, CSS", ["Sass", "Sass", "Less", "CSS"]),
        ("Tailwind CSS and Bootstrap", ["Tailwind CSS", "Bootstrap"]),
        ("TypeScript, JavaScript", ["TypeScript", "JavaScript"]),
        ("MySQL, MariaDB, SQL", ["MySQL", "MariaDB", "SQL"]),
        ("React Native and React", ["React Native", "React"]),
        ("Vite and Webpack", ["Vite", "Webpack"]),
        ("AngularJS and Angular", ["AngularJS", "Angular"]),
        ("OpenSearch, Elasticsearch", ["OpenSearch", "Elasticsearch"]),
    ],
)
def test_distinct_technologies_stay_distinct(text: str, expected: list[str]) -> None:
    assert names(text, SkillKind.hard) == expected


def test_no_wrong_merges_from_derived_forms() -> None:
    taxonomy = load_taxonomy()
    react = taxonomy.canonical("React")
    assert react is not None and not any("estate" in a for a in react.aliases)
    ios = taxonomy.canonical("iOS")
    assert ios is not None and "Cisco IOS" not in ios.aliases
    assert taxonomy.canonical("SCM") is None or taxonomy.canonical("SCM").name != "Supply chain management"  # noqa: E501
    lms = taxonomy.canonical("learning management systems")
    assert lms is not None and "Blackboard" not in lms.name
    bi = taxonomy.canonical("business intelligence")
    assert bi is None or "SAP" not in bi.name


def test_list_items_are_skills_without_context() -> None:
    matcher = get_matcher()
    for item, name in [("Go", "Go"), ("R", "R"), ("English", "English"), ("SCSS", "Sass"),
                       (" k8s ", "Kubernetes"), ("C", "C"), (".NET", ".NET")]:
        assert [f.name for f in matcher.find_item(item)] == [name], item
    assert matcher.find_item("Leadership", SkillKind.hard) == []
    assert [f.name for f in matcher.find_item("Python, Go")] == ["Python", "Go"]


def test_a_bullet_that_is_only_the_name_counts() -> None:
    assert names("Requirements:\n- Go\n- Docker\n") == ["Go", "Docker"]
    assert "Go" not in names("Go beyond what is asked.")


def test_soft_skill_triggers_need_a_claim() -> None:
    for text in ("a hands-on role", "our new initiative", "reliable systems",
                 "the independent review", "autonomous vehicles", "integrity of the data"):
        assert names(text, SkillKind.soft) == [], text
    assert names("Proactive and self-motivated", SkillKind.soft) == ["initiative", "motivation"]


def test_list_only_names_count_as_items_not_in_prose() -> None:
    matcher = get_matcher()
    assert [f.name for f in matcher.find_item("Word")] == ["Microsoft Word"]
    assert [f.name for f in matcher.find_item("Teams")] == ["Microsoft Teams"]
    assert names("Word of mouth matters. Teams meet daily; Access to the office.") == []


def test_short_names_after_a_preposition_or_ending_a_sentence() -> None:
    assert names("Wrote services in Go.") == ["Go"]
    assert names("Statistics in Python and R.") == ["Statistics", "Python", "R"]
    assert names("Strong with Go-to-market plans") == []
