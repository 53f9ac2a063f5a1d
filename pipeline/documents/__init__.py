"""The tailored resume in the formats beside the PDF: DOCX, Markdown and plain text, all
built from the resume the PDF holds (after trimming), in the PDF's order."""

from __future__ import annotations

from pipeline.documents.formats import FORMATS, parse_formats

__all__ = ["FORMATS", "parse_formats"]
