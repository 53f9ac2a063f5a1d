"""The DOCX, Markdown and text resumes read back: the name, every heading and every surfaced
skill, in the PDF's order; and the DOCX passes its ATS rules."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from docx import Document

from pipeline.compile.content import DocumentView
from pipeline.compile.parseback import normalise
from pipeline.documents import parse_formats
from pipeline.documents.blocks import headings
from pipeline.documents.outputs import artifact_files, rendered_view
from pipeline.errors import InvalidInput
from pipeline.inputs import load_posting, load_resume
from pipeline.tailor import TailorResult, run_tailor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def tailored() -> tuple[TailorResult, dict[str, bytes]]:
    resume = load_resume(EXAMPLES / "resumes" / "senior-backend.json")
    posting = load_posting(str(EXAMPLES / "postings" / "backend-engineer.md"))
    result = run_tailor(resume, posting, template="modern")
    files, result = artifact_files(result, formats=("pdf", "docx", "md", "txt"))
    return result, files


def surfaced_skills(view: DocumentView) -> list[str]:
    """The skills section's keywords, in the order the PDF shows them."""
    lines = [line for s in view.sections if s.title == "Skills" for line in s.lines]
    return [k.strip() for line in lines for k in line.text.split(",") if k.strip()]


def assert_in_order(text: str, wanted: Sequence[str]) -> None:
    haystack = normalise(text)
    at = 0
    for item in wanted:
        found = haystack.find(normalise(item), at)
        assert found >= 0, f"{item!r} missing or out of order"
        at = found + 1


def expected(view: DocumentView) -> list[str]:
    return [view.name, *headings(view)]


def test_docx_holds_name_headings_and_skills_in_order(
        tailored: tuple[TailorResult, dict[str, bytes]]) -> None:
    result, files = tailored
    view = rendered_view(result)
    doc = Document(io.BytesIO(files["resume.docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert_in_order(text, expected(view))
    skills = surfaced_skills(view)
    assert len(skills) > 5
    skills_at = normalise(text).index("skills")
    assert_in_order(normalise(text)[skills_at:], skills)
    word_headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert word_headings == headings(view)
    assert doc.tables == []
    assert all(not s.header.paragraphs or not "".join(p.text for p in s.header.paragraphs)
               for s in doc.sections)


@pytest.mark.parametrize("name", ["resume.md", "resume.txt"])
def test_markdown_and_text_hold_name_headings_and_skills_in_order(
        tailored: tuple[TailorResult, dict[str, bytes]], name: str) -> None:
    result, files = tailored
    view = rendered_view(result)
    text = files[name].decode("utf-8").replace("\\", "")  # Markdown escapes
    assert_in_order(text, expected(view))
    skills_at = normalise(text).index("skills")
    assert_in_order(normalise(text)[skills_at:], surfaced_skills(view))
    if name == "resume.md":
        assert text.startswith(f"# {view.name}\n")
        assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == \
            headings(view)


def test_every_pdf_and_docx_has_an_ats_report_in_report_json(
        tailored: tuple[TailorResult, dict[str, bytes]]) -> None:
    _, files = tailored
    report = json.loads(files["report.json"])
    by_document = {r["document"]: r for r in report["ats"]}
    assert set(by_document) == {"resume.pdf", "resume.docx"}
    assert by_document["resume.docx"]["ok"], by_document["resume.docx"]
    pdf_rules = {c["rule"]: c["status"] for c in by_document["resume.pdf"]["checks"]}
    # modern's margins are 0.55 in, its body 10.5 pt: every rule passes
    assert set(pdf_rules.values()) == {"pass"}, pdf_rules


def test_formats_are_validated_naming_the_field() -> None:
    assert parse_formats("docx, PDF") == ("pdf", "docx")
    with pytest.raises(InvalidInput) as raised:
        parse_formats("pdf,odt")
    assert raised.value.field == "format" and "odt" in raised.value.reason
    with pytest.raises(InvalidInput) as raised:
        parse_formats(" , ")
    assert raised.value.field == "format"
