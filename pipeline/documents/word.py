"""The resume as DOCX (python-docx): one column, the name as the Title, sections as real
Heading 1 paragraphs with the PDF's standard names, entries as Heading 2, bullets in Word's
List Bullet style, and nothing in headers, footers, text boxes or tables, which many ATSs
skip or read out of order."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Inches, Pt

from pipeline.compile.content import DocumentView
from pipeline.documents.blocks import blocks

BODY_PT = 10.5
MARGIN_IN = 0.75


def to_docx(view: DocumentView, *, title: str = "Resume") -> bytes:
    doc = Document()
    doc.core_properties.title = f"{view.name} - {title}" if view.name else title
    doc.core_properties.author = view.name
    section = doc.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(MARGIN_IN))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(2)
    tab_at = Inches(8.5 - 2 * MARGIN_IN)  # python-docx's default page is US Letter
    for block in blocks(view):
        if block.kind == "name":
            doc.add_heading(block.text, level=0)
        elif block.kind == "heading":
            doc.add_heading(block.text, level=1)
        elif block.kind == "entry":
            # A right-aligned tab stop puts the dates on the title's line without a table.
            para = doc.add_heading(block.text, level=2)
            if block.label:
                para.paragraph_format.tab_stops.add_tab_stop(tab_at, WD_TAB_ALIGNMENT.RIGHT)
                para.add_run(f"\t{block.label}")
        elif block.kind == "bullet":
            doc.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "line" and block.label:
            para = doc.add_paragraph()
            para.add_run(f"{block.label}: ").bold = True
            para.add_run(block.text)
        else:
            doc.add_paragraph(block.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
