"""Parse-back: text extraction from real PDFs and the check on name, headings, keywords."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.compile import compile_resume
from pipeline.compile.parseback import check_parse_back, extract_text, normalise
from pipeline.compile.render import list_templates
from pipeline.compile.sandbox import default_cache_dir
from pipeline.errors import CompileError
from pipeline.models import TailoredResume
from tests.pipeline.compile.conftest import FIXTURES, load_resume

TEXT = """Jane Developer
Full Stack Engineer
Summary
Builds ﬁne systems with Post-
greSQL and “Kubernetes” – daily.
Experience
Senior Engineer, TechCorp Mar 2021 – Present
Skills
Backend: Node.js, PostgreSQL, https://github.com/jane/very-long-
repository-name
"""


def test_normalise_unfolds_ligatures_quotes_dashes_and_space() -> None:
    assert normalise("ﬁne  “x” – ’y’\n\tZ") == "fine \"x\" - 'y' z"


def test_all_present_in_order() -> None:
    check = check_parse_back(TEXT, name="Jane Developer",
                             headings=["Summary", "Experience", "Skills"],
                             keywords=["Node.js", "postgresql", "Kubernetes", "fine"])
    assert check.ok and check.checked == 8 and not check.missing


def test_missing_name_heading_and_keyword_are_listed() -> None:
    check = check_parse_back(TEXT, name="John Smith", headings=["Summary", "Education"],
                             keywords=["Rust", "Node.js"])
    assert not check.ok
    assert check.missing == ["John Smith", "Education", "Rust"]


def test_headings_out_of_reading_order() -> None:
    check = check_parse_back(TEXT, name=None, headings=["Experience", "Summary", "Skills"],
                             keywords=[])
    assert not check.ok and check.out_of_order == ["Summary"]


def test_heading_words_inside_sentences_do_not_count() -> None:
    check = check_parse_back("Summary\n10 years of experience\n", name=None,
                             headings=["Summary", "Experience"], keywords=[])
    assert check.missing == ["Experience"]


def test_a_required_name_that_is_missing_fails_the_check() -> None:
    for name in (None, "", "  "):
        check = check_parse_back(TEXT, name=name, headings=["Summary"], keywords=[],
                                 require_name=True)
        assert not check.ok and check.missing == ["basics.name"], name


def test_a_resume_without_a_name_never_reads_back_ok() -> None:
    resume = load_resume(FIXTURES / "new-grad.json").model_copy(deep=True)
    resume.basics.name = None
    out = compile_resume(TailoredResume(resume=resume), template="classic",
                         cache_dir=default_cache_dir())
    assert out.parse_back is not None
    assert not out.parse_back.ok and "basics.name" in out.parse_back.missing


def test_a_value_wrapped_mid_word_is_found() -> None:
    check = check_parse_back(TEXT, name=None, headings=[],
                             keywords=["https://github.com/jane/very-long-repository-name"])
    assert check.ok


def test_unreadable_pdf_is_a_compile_error() -> None:
    with pytest.raises(CompileError):
        extract_text(b"not a pdf")


@pytest.mark.parametrize("template", [name for name, _ in list_templates()])
def test_extracted_text_keeps_lines_word_spaces_and_order(template: str) -> None:
    resume = load_resume(FIXTURES / "career-changer.json")
    out = compile_resume(TailoredResume(resume=resume), template=template,
                         cache_dir=default_cache_dir())
    text = extract_text(out.pdf)
    lines = [normalise(line) for line in text.splitlines()]
    assert lines[0].startswith(normalise(resume.basics.name or "-"))
    # Every kept bullet comes out whole, on one line or wrapped, with its spaces.
    flat = normalise(text)
    assert out.resume is not None
    for job in out.resume.work:
        for bullet in job.highlights:
            assert normalise(bullet) in flat, bullet
    # Jobs in the order the resume lists them.
    positions = [flat.find(normalise(w.position or "")) for w in out.resume.work]
    assert positions == sorted(positions) and -1 not in positions


def test_ligatures_extract_as_letters() -> None:
    resume = load_resume(FIXTURES / "new-grad.json").model_copy(deep=True)
    resume.basics.summary = "Efficient offline workflows, fluent in fjords"
    out = compile_resume(TailoredResume(resume=resume), template="classic",
                         cache_dir=Path(default_cache_dir()))
    assert "Efficient offline workflows, fluent in fjords" in out.text


@pytest.mark.parametrize("use_format", [True, False])
def test_fonts_map_to_unicode_and_metadata_names_the_person(use_format: bool) -> None:
    resume = load_resume(FIXTURES / "new-grad.json")
    out = compile_resume(TailoredResume(resume=resume), template="modern",
                         cache_dir=default_cache_dir(), use_format=use_format)
    reader = PdfReader(io.BytesIO(out.pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts and all("/ToUnicode" in f.get_object() for f in fonts.values())
    assert reader.metadata is not None
    assert reader.metadata.author == resume.basics.name
    assert resume.basics.name in (reader.metadata.title or "")
