"""Each ATS rule on DOCX: a document built to break it fails it."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml

from pipeline.ats import Expectations, check_docx

NAME = "Avery Quinn"
HEADINGS = ("Summary", "Experience", "Skills")
EXPECT = Expectations(document="resume.docx", kind="resume", name=NAME, headings=HEADINGS)
BODY = ("Backend engineer who builds payment services in Python and PostgreSQL, with care for "
        "correctness and clear design documents.")
_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
    '<w:p><w:r><w:t>avery.quinn@example.com</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def build(change: Callable[[DocxDocument], None] | None = None, *,
          heading_style: bool = True) -> bytes:
    doc = Document()
    doc.add_heading(NAME, level=0)
    doc.add_paragraph("Denver, CO | avery.quinn@example.com | +1 (555) 010-2030")
    for heading in HEADINGS:
        if heading_style:
            doc.add_heading(heading, level=1)
        else:
            doc.add_paragraph().add_run(heading).bold = True  # looks like one, is not
        doc.add_paragraph(f"Backend Engineer, Ledgerline (Jan 2020 – Present). {BODY}")
    if change is not None:
        change(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def failed(data: bytes) -> set[str]:
    return {c.rule for c in check_docx(data, EXPECT).failed}


def test_a_plain_docx_passes() -> None:
    assert failed(build()) == set()


def _header(doc: DocxDocument) -> None:
    doc.sections[0].header.paragraphs[0].text = "Avery Quinn - avery.quinn@example.com"


def _footer(doc: DocxDocument) -> None:
    doc.sections[0].footer.paragraphs[0].text = "Page 1"


def _table(doc: DocxDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Python", "PostgreSQL"


def _text_box(doc: DocxDocument) -> None:
    doc.add_paragraph()._p.append(parse_xml(_TEXT_BOX))


def _two_date_forms(doc: DocxDocument) -> None:
    doc.add_paragraph("Software Engineer, Brightpath (03/2016 – 12/2019)")


@pytest.mark.parametrize(("change", "rule"), [
    (_header, "no_header_footer_content"),
    (_footer, "no_header_footer_content"),
    (_table, "no_layout_tables"),
    (_text_box, "no_text_boxes"),
    (_two_date_forms, "date_format"),
])
def test_a_docx_built_to_break_a_rule_fails_it(
        change: Callable[[DocxDocument], None], rule: str) -> None:
    assert failed(build(change)) == {rule}


def test_headings_that_are_only_bold_text_are_not_word_headings() -> None:
    assert failed(build(heading_style=False)) == {"word_headings"}


def test_missing_contact_details_fail() -> None:
    def strip_contact(doc: DocxDocument) -> None:
        doc.paragraphs[1].text = "Portfolio on request"

    assert failed(build(strip_contact)) == {"contact_details"}
