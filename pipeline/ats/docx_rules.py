"""ATS rules on a DOCX: the text in body order, real Word headings with standard names, and
nothing in the places many ATSs skip (headers, footers, text boxes, layout tables)."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.document import Document as DocxDocument

from pipeline.ats import text_rules
from pipeline.ats.expect import Expectations
from pipeline.compile.parseback import normalise
from pipeline.models import AtsCheck, AtsReport

# Text boxes and shapes with text: DrawingML (wps:txbx), VML (v:textbox), both wrapping
# w:txbxContent.
_TEXT_BOX_TAGS = (b"<w:txbxContent", b"<wps:txbx", b"<v:textbox")


def body_text(doc: DocxDocument) -> str:
    """The body's paragraphs, one a line, in document order (what ATSs read)."""
    return "\n".join(p.text for p in doc.paragraphs)


def headings(doc: DocxDocument) -> list[str]:
    """Paragraphs in a Word heading style (Heading 1-9), in order."""
    return [p.text for p in doc.paragraphs
            if p.style is not None and (p.style.name or "").startswith("Heading")]


def word_headings(doc: DocxDocument, expect: Expectations) -> AtsCheck:
    """Every expected section heading is a real Word heading, in order."""
    found = [normalise(h) for h in headings(doc)]
    problems = []
    at = 0
    for heading in expect.headings:
        wanted = normalise(heading)
        if wanted not in found[at:]:
            problems.append(f"{heading!r} is not a Word heading (or out of order)")
            continue
        at = found.index(wanted, at) + 1
    return text_rules.check("word_headings", problems, f"{len(found)} Word headings")


def header_footer_empty(doc: DocxDocument) -> AtsCheck:
    problems = []
    for number, section in enumerate(doc.sections, start=1):
        parts = {"header": section.header, "footer": section.footer,
                 "first-page header": section.first_page_header,
                 "first-page footer": section.first_page_footer,
                 "even-page header": section.even_page_header,
                 "even-page footer": section.even_page_footer}
        for where, part in parts.items():
            if part.is_linked_to_previous:
                continue  # no part of its own
            text = " ".join(p.text for p in part.paragraphs).strip()
            if text or part.tables:
                problems.append(f"section {number} {where}: {text[:40]!r}")
    return text_rules.check("no_header_footer_content", problems, "headers and footers empty")


def no_text_boxes(data: bytes) -> AtsCheck:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        holding = [n for n in parts if any(t in archive.read(n) for t in _TEXT_BOX_TAGS)]
    return text_rules.check("no_text_boxes", [f"text box in {n}" for n in holding],
                            "no text boxes")


def no_tables(doc: DocxDocument) -> AtsCheck:
    count = len(doc.tables)
    return text_rules.check("no_layout_tables",
                            [f"{count} table(s): ATSs often read cells out of order"]
                            if count else [], "one column, no tables")


def check_docx(data: bytes, expect: Expectations) -> AtsReport:
    doc = Document(io.BytesIO(data))
    text = body_text(doc)
    texts = {"python-docx": text}
    checks = [text_rules.text_extractable(texts, expect), text_rules.reading_order(texts, expect)]
    if expect.kind == "resume":
        checks += [text_rules.standard_headings(text, expect), word_headings(doc, expect)]
    checks += [
        text_rules.contact_details(text),
        text_rules.one_date_form(text),
        text_rules.no_garbage(texts),
        header_footer_empty(doc),
        no_text_boxes(data),
        no_tables(doc),
    ]
    return AtsReport(document=expect.document, ok=all(c.status != "fail" for c in checks),
                     checks=checks)
