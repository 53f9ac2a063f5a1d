"""Each ATS rule on PDFs: a plain document passes every rule, and a document built to break
one rule fails it (compiled by the pipeline's sandboxed compiler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ats import Expectations, check_pdf
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN
from pipeline.models import AtsReport
from tests.pipeline.ats.raw_pdf import BODY, HEADINGS, NAME, compile_pdf, png, tex

RESUME = Expectations(document="resume.pdf", kind="resume", name=NAME, headings=HEADINGS)


def failed(report: AtsReport) -> dict[str, str]:
    return {c.rule: c.detail for c in report.failed}


def test_a_plain_resume_passes_every_rule(tmp_path: Path) -> None:
    report = check_pdf(compile_pdf(tex(), tmp_path / "doc"), RESUME)
    assert report.ok, failed(report)
    assert {c.rule for c in report.checks} == {
        "text_extractable", "reading_order", "standard_headings", "contact_details",
        "date_format", "body_font_size", "margins", "no_text_in_images", "no_garbage_glyphs",
        "fonts_embedded"}
    assert all(c.status == "pass" for c in report.checks)


BROKEN = {
    # A name and a contact line, the rest drawn as rules: nothing for an ATS to read.
    "text_extractable": dict(sections=r"\rule{5in}{3in}"),
    # Written Experience-first into the stream but placed below Summary: pypdf reads the
    # stream, pdftotext the page, and an ATS may do either.
    "reading_order": dict(sections=r"\begin{picture}(0,0)\put(0,-300){\parbox{5in}{"
                          r"\textbf{Experience} " + BODY + r"}}\put(0,-100){\parbox{5in}{"
                          r"\textbf{Summary} " + BODY + r"}}\end{picture}\vspace{5in}"
                          r"\section*{Education}x\section*{Skills}Python"),
    "standard_headings": dict(sections=r"\section*{Summary}" + BODY * 2
                              + r"\section*{Where I Have Been}" + BODY
                              + r"\section*{Education}BSc\section*{Skills}Python"),
    "contact_details": dict(header=r"Avery on the web"),
    "date_format": dict(sections=r"\section*{Summary}" + BODY * 2
                        + r"\section*{Experience}Backend Engineer, Jan 2020 -- 03/2021\par "
                        + BODY + r"\section*{Education}BSc, Summer '16"
                        + r"\section*{Skills}Python"),
    "body_font_size": dict(size=r"\fontsize{8}{9.6}\selectfont"),
    "margins": dict(margin="0.25in"),
    "no_garbage_glyphs": dict(preamble=r"\pdfglyphtounicode{j}{E000}"),
    # Times mapped with no font file: pdfTeX refers to the font without embedding it.
    "fonts_embedded": dict(preamble=r'\pdfmapline{=ptmr8r Times-Roman '
                           r'"TeXBase1Encoding ReEncodeFont" <8r.enc}\renewcommand\rmdefault{ptm}'),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_a_document_built_to_break_a_rule_fails_it(rule: str, tmp_path: Path) -> None:
    pdf = compile_pdf(tex(**BROKEN[rule]), tmp_path / "doc")
    expect = RESUME
    if rule == "standard_headings":
        expect = Expectations(document="resume.pdf", kind="resume", name=NAME,
                              headings=("Summary", "Where I Have Been", "Education", "Skills"))
    if rule == "reading_order":
        expect = Expectations(document="resume.pdf", kind="resume", name=NAME,
                              headings=("Summary", "Experience", "Education", "Skills"))
    report = check_pdf(pdf, expect)
    assert not report.ok
    assert rule in failed(report), failed(report)


def test_an_image_larger_than_an_icon_fails(tmp_path: Path) -> None:
    plain = tex()
    source = plain.replace(r"\section*{Summary}",
                           r"\section*{Summary}\includegraphics[width=4in]{shot.png}\par ")
    report = check_pdf(compile_pdf(source, tmp_path / "doc", {"shot.png": png(400, 100)}),
                       RESUME)
    assert set(failed(report)) == {"no_text_in_images"}
    assert "4.0 × 1.0 in" in failed(report)["no_text_in_images"]


def test_dates_in_two_forms_and_unparseable_ones_are_named(tmp_path: Path) -> None:
    report = check_pdf(compile_pdf(tex(**BROKEN["date_format"]), tmp_path / "doc"), RESUME)
    detail = failed(report)["date_format"]
    assert "Summer ’16" in detail and "2 forms" in detail  # T1 sets ' as a right quote


def test_a_document_at_the_fitters_floors_passes_and_just_below_fails(tmp_path: Path) -> None:
    """The rules and the fitter share pipeline.floors: a page set exactly at the floors (body
    size and margins) passes, one a little under either fails."""
    at = tex(size=rf"\fontsize{{{MIN_BODY_PT:g}}}{{{MIN_BODY_PT * 1.2:g}}}\selectfont",
             margin=f"{MIN_MARGIN_IN:g}in")
    report = check_pdf(compile_pdf(at, tmp_path / "at"), RESUME)
    assert report.ok, failed(report)
    below = tex(size=rf"\fontsize{{{MIN_BODY_PT - 0.5:g}}}{{{MIN_BODY_PT * 1.2:g}}}\selectfont",
                margin=f"{MIN_MARGIN_IN - 0.05:g}in")
    assert set(failed(check_pdf(compile_pdf(below, tmp_path / "below"), RESUME))) == {
        "body_font_size", "margins"}
