"""What the PDF rules look at, each read by a tool of its own: text by poppler's pdftotext
and by pypdf (two independent extractors, as two ATSs would differ), font sizes by pypdf's
text visitor, word boxes by `pdftotext -bbox`, fonts by `pdffonts`, images by `pdfimages`.

A poppler tool that is not installed gives None, and its rule reports "skipped".
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from pipeline.pdf_text import TIMEOUT_S, pdftotext, run_poppler

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _poppler(tool: str, args: list[str], pdf: bytes) -> str | None:
    read = run_poppler(tool, args, pdf)
    return None if read is None else read[1]


def _poppler_file(tool: str, args: list[str], pdf: bytes) -> str | None:
    """pdffonts and pdfimages read a file, not standard input."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        binary = shutil.which(tool)
        if binary is None:
            return None
        proc = subprocess.run([binary, *args, handle.name], capture_output=True,
                              timeout=TIMEOUT_S, env={"LC_ALL": "C.UTF-8"}, check=False)
    return proc.stdout.decode("utf-8", errors="replace") if proc.returncode == 0 else ""


def pdftotext_text(pdf: bytes) -> str | None:
    """pdftotext's text ("" when it fails on the PDF), as the parse-back check read it."""
    read = pdftotext(pdf)
    return None if read is None else read[1]


def pypdf_read(pdf: bytes) -> tuple[str, Counter[float]]:
    """pypdf's text of every page (form feeds between pages), and the characters set at each
    font size in PostScript points (1/72 in), from the text matrix and the current
    transformation as its visitor reports them: one pass, since the visitor sees the text
    being extracted (two passes were a fifth of a job's CPU in the ATS check)."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        chars = len(text.strip())
        if chars:
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes[round(size * scale, 2)] += chars

    pages: list[str] = []
    try:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            pages.append(page.extract_text(visitor_text=visit) or "")
    except (PdfReadError, ValueError):
        return "", sizes
    return "\f".join(pages), sizes


@dataclass(frozen=True)
class Box:
    page: int
    page_width: float
    page_height: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def word_boxes(pdf: bytes) -> list[Box] | None:
    """Every word's box in points from the page's top-left corner."""
    html = _poppler("pdftotext", ["-q", "-bbox", "-", "-"], pdf)
    if html is None:
        return None
    boxes: list[Box] = []
    page, width, height = 0, 0.0, 0.0
    for line in html.splitlines():
        if (found := _PAGE.search(line)) is not None:
            page, width, height = page + 1, float(found.group(1)), float(found.group(2))
        elif (word := _WORD.search(line)) is not None:
            x0, y0, x1, y1 = (float(v) for v in word.groups())
            boxes.append(Box(page, width, height, x0, y0, x1, y1))
    return boxes


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool


def fonts(pdf: bytes) -> list[FontRow] | None:
    out = _poppler_file("pdffonts", [], pdf)
    if out is None:
        return None
    rows = []
    for line in out.splitlines()[2:]:  # a header line and a rule
        # name, type (may hold spaces), encoding, emb, sub, uni, object, id: from the right
        parts = line.split()
        if len(parts) < 7:
            continue
        emb = parts[-5]
        name = parts[0]
        rows.append(FontRow(name=name, type=" ".join(parts[1:-6]), embedded=emb == "yes"))
    return rows


@dataclass(frozen=True)
class Image:
    page: int
    width_in: float
    height_in: float


def images(pdf: bytes) -> list[Image] | None:
    out = _poppler_file("pdfimages", ["-list"], pdf)
    if out is None:
        return None
    found = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 14 or parts[2] == "smask":
            continue  # a soft mask is the alpha of an image already counted
        width, height = int(parts[3]), int(parts[4])
        x_ppi, y_ppi = float(parts[12]) or 72.0, float(parts[13]) or 72.0
        found.append(Image(int(parts[0]), width / x_ppi, height / y_ppi))
    return found
