"""ATS checks: the rules applicant tracking systems trip on, run on every PDF and DOCX the
pipeline writes, each reported as pass, fail or skipped (a tool missing).

    check_pdf(pdf_bytes, Expectations(document="resume.pdf", kind="resume", name=..., headings=...))
    check_docx(docx_bytes, Expectations(document="resume.docx", ...))
"""

from __future__ import annotations

from pipeline.ats.docx_rules import check_docx
from pipeline.ats.expect import STANDARD_HEADINGS, Expectations
from pipeline.ats.pdf_check import check_pdf

__all__ = ["STANDARD_HEADINGS", "Expectations", "check_docx", "check_pdf"]
