"""Parse-back: read the PDF as an ATS would and check that what matters is there.

Text comes out with poppler's pdftotext (or pypdf): with the templates' Type 1 fonts and
`\\pdfgentounicode=1` it keeps reading order, word spaces and lines (checked by the tests
against every template). The check is on normalised text: ligatures unfolded, quotes and
dashes made plain, whitespace collapsed, case ignored.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence

from pipeline.errors import CompileError
from pipeline.models import ParseBackCheck
from pipeline.pdf_text import pdftotext

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\u00a0": " ", "\u00ad": "",
})
_SPACE = re.compile(r"\s+")


def extract_text(pdf: bytes) -> str:
    """All pages' text, in reading order, pages separated by a form feed.

    poppler's `pdftotext` when installed (about 20 ms a page, half of pypdf's time), else
    pypdf."""
    read = pdftotext(pdf)
    if read is not None:
        ok, text = read
        if not ok:
            raise CompileError("the PDF cannot be read back: pdftotext failed")
        return text.rstrip("\f")
    # imported only here: pypdf (with the crypto libraries it loads) is a large share of the
    # command's start-up, and with pdftotext installed it is never needed
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        return "\f".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError) as exc:
        raise CompileError(f"the PDF cannot be read back: {exc}") from exc


def normalise(text: str) -> str:
    """Text as compared: NFKC (ligatures → letters), plain quotes and dashes, one space."""
    text = unicodedata.normalize("NFKC", text).translate(_PLAIN)
    return _SPACE.sub(" ", text).strip().casefold()


def _contains(haystack: str, squeezed: str, needle: str) -> bool:
    """Is `needle` in the normalised text? A value the page wrapped mid-word (a long URL)
    is found with all spaces removed."""
    wanted = normalise(needle)
    return wanted in haystack or wanted.replace(" ", "") in squeezed


def check_parse_back(text: str, *, name: str | None, headings: Sequence[str],
                     keywords: Sequence[str], require_name: bool = False) -> ParseBackCheck:
    """Are the name, every heading (in this order) and every keyword in the text?

    With `require_name`, a resume without a name fails the check (the PDF cannot hold it),
    listed as `basics.name`."""
    haystack = normalise(text)
    squeezed = haystack.replace(" ", "")
    missing: list[str] = []
    out_of_order: list[str] = []
    checked = 0
    if require_name and not (name and name.strip()):
        checked += 1
        missing.append("basics.name")
    elif name:
        checked += 1
        if not _contains(haystack, squeezed, name):
            missing.append(name)
    lines = [normalise(line) for line in text.splitlines()]
    last = -1
    for heading in headings:
        checked += 1
        wanted = normalise(heading)
        at = [i for i, line in enumerate(lines) if line == wanted]
        if not at:
            missing.append(heading)
        elif all(i <= last for i in at):
            out_of_order.append(heading)
        else:
            last = min(i for i in at if i > last)
    for keyword in dict.fromkeys(keywords):
        checked += 1
        if not _contains(haystack, squeezed, keyword):
            missing.append(keyword)
    return ParseBackCheck(ok=not missing and not out_of_order, missing=missing,
                          out_of_order=out_of_order, checked=checked)

