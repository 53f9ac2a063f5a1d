"""pdftotext on PDF bytes: run once per PDF for the parse-back and the ATS checks alike."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from pypdf import PdfWriter

from pipeline import pdf_text
from pipeline.ats.pdf_probe import pdftotext_text
from pipeline.compile.parseback import extract_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_one_run_serves_the_parse_back_and_the_ats_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[list[str]] = []
    real = subprocess.run

    def counted(args: list[str], **kwargs: Any) -> Any:
        runs.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(pdf_text.subprocess, "run", counted)
    pdf = _blank_pdf(2)
    assert pdftotext_text(pdf) == "\f\f"  # each page ends in a form feed
    assert extract_text(pdf) == ""  # parse-back drops the trailing ones
    assert len(runs) == 1
    other = _blank_pdf(3)
    assert pdftotext_text(other) == "\f\f\f" and len(runs) == 2  # other bytes, another run


def test_a_pdf_pdftotext_cannot_read() -> None:
    assert pdf_text.pdftotext(b"%PDF-1.4 not really") == (False, "")
    assert pdftotext_text(b"%PDF-1.4 not really") == ""
