"""Posting sections in every format: the same posting as Markdown, pasted text and HTML gives
the same sections and the same required/preferred flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.inputs import load_posting
from pipeline.models import JobAnalysis, Section
from pipeline.parse import parse_posting
from pipeline.parse.headings import heading_section, inline_label
from pipeline.parse.sections import split_lines

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "postings"
EXAMPLES = ROOT / "examples" / "postings"
FORMATS = ("md", "txt", "html")


def _analysis(path: Path) -> JobAnalysis:
    return parse_posting(load_posting(path))


def _flags(analysis: JobAnalysis) -> dict[str, tuple[bool, list[str]]]:
    """Skill → (required, the sections its mentions stand in)."""
    return {s.name: (s.required, sorted({m.section.value for m in s.mentions}))
            for s in analysis.skills()}


@pytest.mark.parametrize("name", ["platform-engineer", "support-analyst"])
def test_one_posting_in_three_formats_reads_the_same(name: str) -> None:
    md, txt, html = (_analysis(FIXTURES / f"{name}.{ext}") for ext in FORMATS)
    assert md.sections == txt.sections == html.sections
    assert _flags(md) == _flags(txt) == _flags(html)
    assert md.title == txt.title == html.title
    assert {Section.about, Section.responsibilities, Section.requirements, Section.preferred,
            Section.benefits} <= set(md.sections)


def test_inline_label_marks_its_line_and_the_section_goes_on() -> None:
    for ext in FORMATS:
        flags = _flags(_analysis(FIXTURES / f"platform-engineer.{ext}"))
        # "Nice-to-have: Kafka or RabbitMQ." stands inside Requirements ...
        assert flags["Apache Kafka"] == (False, ["preferred"]), ext
        assert flags["RabbitMQ"] == (False, ["preferred"]), ext
        # ... and the line after it is a requirement again.
        assert flags["Terraform"] == (True, ["requirements"]), ext
        assert flags["PostgreSQL"] == (True, ["requirements"]), ext
        assert not flags["Rust"][0] and not flags["Ansible"][0], ext


def test_example_text_posting_nice_to_have_and_what_we_offer() -> None:
    analysis = _analysis(EXAMPLES / "data-engineer.txt")
    flags = _flags(analysis)
    assert flags["Terraform"] == (False, ["preferred"])
    assert flags["Apache Kafka"][0]  # also named under Responsibilities
    assert "preferred" in flags["Apache Kafka"][1]
    assert analysis.sections[Section.benefits] == 3
    assert analysis.sections[Section.preferred] == 4
    assert analysis.sections[Section.about] == 3  # "About the team", in sentence case


def test_example_html_posting_headings_from_h2() -> None:
    analysis = _analysis(EXAMPLES / "frontend-developer.html")
    flags = _flags(analysis)
    for name in ("Next.js", "GraphQL", "Tailwind CSS"):
        assert flags[name] == (False, ["preferred"]), name
    assert flags["React"][0] and flags["TypeScript"][0]
    assert analysis.sections[Section.requirements] == 6  # "What we’re looking for"
    assert analysis.sections[Section.responsibilities] == 5  # "What you’ll do"
    assert analysis.sections[Section.benefits] >= 4  # the footer line follows them


@pytest.mark.parametrize(("label", "section"), [
    ("Nice-to-have: Kafka", Section.preferred),
    ("NICE TO HAVE: Kafka", Section.preferred),
    ("Bonus points: Kafka", Section.preferred),
    ("- Preferred qualifications: Kafka", Section.preferred),
    ("Ideally you have: Kafka", Section.preferred),
    ("**Nice to have:** Kafka", Section.preferred),
    ("What we offer: a Kafka conference each year", Section.benefits),
    ("Benefits: a Kafka conference each year", Section.benefits),
    ("Must-haves: Kafka", Section.requirements),
])
def test_inline_labels(label: str, section: Section) -> None:
    assert inline_label(label) == section
    lines = split_lines(f"## Requirements\n- Python\n{label}\nYou know SQL well.\n")
    placed = {line.text: line.section for line in lines}
    assert placed[label] == section
    assert placed["You know SQL well."] == Section.requirements
    skills = {s.name: s.required for s in parse_posting(
        f"Data Engineer\n## Requirements\n- Python\n{label}\nYou know SQL well.\n").skills()}
    if section == Section.benefits:  # a perk, not a skill asked for: dropped or not required
        assert not skills.get("Apache Kafka")
    else:
        assert skills["Apache Kafka"] is (section == Section.requirements)
    assert skills["Python"] and skills["SQL"]


@pytest.mark.parametrize("line", [
    "Location: Boston, MA", "Company: Acme", "Note: we sponsor visas.", "Apply at https://x.io",
])
def test_lines_that_are_no_labels(line: str) -> None:
    assert inline_label(line) is None


def test_list_under_an_inline_label_follows_it() -> None:
    lines = split_lines("Requirements\n- Python\nBonus points: any of\n- Kafka\n- Rust\nSQL\n")
    placed = {line.text: line.section for line in lines}
    assert placed["- Kafka"] == placed["- Rust"] == Section.preferred
    assert placed["- Python"] == placed["SQL"] == Section.requirements


@pytest.mark.parametrize(("heading", "section"), [
    ("Preferred Qualifications", Section.preferred),
    ("Nice-to-haves", Section.preferred),
    ("Bonus points", Section.preferred),
    ("Ideally, you have", Section.preferred),
    ("What we're looking for", Section.requirements),
    ("Who we’re looking for", Section.requirements),
    ("Who we are", Section.about),
    ("About the team", Section.about),
    ("About the role", Section.responsibilities),
    ("What you’ll be doing", Section.responsibilities),
    ("Compensation & Benefits", Section.benefits),
    ("What’s in it for you", Section.benefits),
    ("WHAT WE OFFER", Section.benefits),
    ("Skills you'll need to succeed", Section.requirements),
    ("Our tech stack", None),
])
def test_heading_vocabulary(heading: str, section: Section | None) -> None:
    assert heading_section(heading) == section


@pytest.mark.parametrize("text", ["Nice to have", "What we offer", "About the team",
                                  "What you'll work on", "Ideally you have"])
def test_a_bare_known_heading_line_starts_its_section(text: str) -> None:
    lines = split_lines(f"Requirements\n- Python\n{text}\n- Kafka\n")
    assert lines[2].heading
    assert lines[3].section == heading_section(text) != Section.requirements


def test_a_sentence_is_no_heading_even_when_it_starts_like_one() -> None:
    lines = split_lines("Requirements\n- Python\nExperience with Kafka is expected.\n")
    assert not lines[2].heading and lines[2].section == Section.requirements
