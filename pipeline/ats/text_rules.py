"""ATS rules on extracted text, shared by the PDF and DOCX checks: reading order, standard
headings, contact details, one date form, no garbage glyphs.

Every rule takes text as an ATS would get it and returns an AtsCheck; none looks at layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from pipeline.ats.expect import STANDARD_HEADINGS, Expectations
from pipeline.compile.parseback import normalise
from pipeline.models import AtsCheck

MIN_WORDS = 30  # fewer extracted words than this on a whole resume or letter: text is missing
HEADER_LINES = 12  # where contact details belong: the top of the first page

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d ().-]{5,}\d(?![\w/])")
# "Denver, CO", "Toronto, ON", "Berlin, Germany", "São Paulo, SP"
_LOCATION = re.compile(r"\b[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)*, (?:[A-Z]{2,3}\b|[A-Z][a-z]+)")

_MONTHS_SHORT = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_MONTHS_LONG = ("January|February|March|April|May|June|July|August|September|October|"
                "November|December")
_YEAR = r"(?:19|20)\d\d"
# Each parseable form, most specific first; a span matched by one is not matched again.
DATE_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Month D, YYYY", re.compile(rf"\b(?:{_MONTHS_LONG}) \d{{1,2}}, {_YEAR}\b")),
    ("Month YYYY", re.compile(rf"\b(?:{_MONTHS_LONG}) {_YEAR}\b")),
    ("Mon YYYY", re.compile(rf"\b(?:{_MONTHS_SHORT})\.? {_YEAR}\b")),
    ("MM/YYYY", re.compile(rf"\b(?:0?[1-9]|1[0-2])/{_YEAR}\b")),
    ("YYYY-MM", re.compile(rf"\b{_YEAR}-(?:0[1-9]|1[0-2])\b(?!-)")),
    ("YYYY-MM-DD", re.compile(rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-\d\d\b")),
)
# Dates an ATS cannot place: two-digit years, seasons, quarters without a month.
_UNPARSEABLE = re.compile(
    rf"(?:\b(?:{_MONTHS_LONG}|{_MONTHS_SHORT})\.? ?['’]\d\d\b|(?<![\w'’])['’]\d\d\b"
    rf"|\b(?:Spring|Summer|Autumn|Fall|Winter) (?:{_YEAR}|['’]\d\d)\b"
    rf"|\b(?:0?[1-9]|1[0-2])/\d\d\b(?!/))"
)


def check(rule: str, problems: Sequence[str], passed: str) -> AtsCheck:
    if problems:
        return AtsCheck(rule=rule, status="fail", detail="; ".join(problems))
    return AtsCheck(rule=rule, status="pass", detail=passed)


def text_extractable(texts: Mapping[str, str], expect: Expectations) -> AtsCheck:
    """Each extractor gets words out, and the candidate's name among them."""
    problems = []
    for tool, text in texts.items():
        words = len(text.split())
        if words < MIN_WORDS:
            problems.append(f"{tool} extracted {words} words")
        elif expect.name and normalise(expect.name) not in normalise(text):
            problems.append(f"{tool} text lacks the name {expect.name!r}")
    return check("text_extractable", problems, f"{', '.join(texts)} read the text")


def reading_order(texts: Mapping[str, str], expect: Expectations) -> AtsCheck:
    """The name, headings and other anchors come out in the order they stand on the page."""
    problems = []
    for tool, text in texts.items():
        haystack = normalise(text)
        at = 0
        for wanted in expect.ordered():
            found = haystack.find(normalise(wanted), at)
            if found < 0:
                where = "missing" if normalise(wanted) not in haystack else "out of order"
                problems.append(f"{tool}: {wanted!r} {where}")
                break
            at = found + 1
    return check("reading_order", problems,
                 f"{len(expect.ordered())} anchors in order by {', '.join(texts)}")


def standard_headings(text: str, expect: Expectations) -> AtsCheck:
    """Every section heading is a standard name, on a line of its own."""
    lines = {normalise(line) for line in text.splitlines()}
    problems = []
    for heading in expect.headings:
        if normalise(heading) not in STANDARD_HEADINGS:
            problems.append(f"{heading!r} is not a standard section name")
        elif normalise(heading) not in lines:
            problems.append(f"{heading!r} is not on a line of its own")
    if not expect.headings:
        problems.append("no section headings")
    return check("standard_headings", problems, ", ".join(expect.headings))


def contact_details(text: str) -> AtsCheck:
    """An email address, a phone number and a location near the top."""
    header = "\n".join(line for line in text.splitlines()[:HEADER_LINES])
    problems = []
    if not _EMAIL.search(header):
        problems.append("no email address at the top")
    phone = _PHONE.search(header)
    if phone is None or len(re.sub(r"\D", "", phone.group(0))) < 7:
        problems.append("no phone number at the top")
    if not _LOCATION.search(header):
        problems.append("no location (City, Region) at the top")
    return check("contact_details", problems, "email, phone and location found")


def date_forms(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """(form → dates written in it, unparseable dates) in `text`."""
    found: dict[str, list[str]] = {}
    taken: list[tuple[int, int]] = []
    may: list[str] = []  # "May 2014" is written alike in the long and the short form
    for form, pattern in DATE_FORMS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            if form in ("Month YYYY", "Mon YYYY") and match.group(0).startswith("May "):
                may.append(match.group(0))
            else:
                found.setdefault(form, []).append(match.group(0))
    if may:
        found.setdefault("Month YYYY" if "Month YYYY" in found else "Mon YYYY", []).extend(may)
    bad = [m.group(0) for m in _UNPARSEABLE.finditer(text)]
    return found, bad


def one_date_form(text: str) -> AtsCheck:
    """Every date parseable, and all of them written one way (bare years aside)."""
    forms, bad = date_forms(text)
    problems = [f"unparseable date {b!r}" for b in bad]
    if len(forms) > 1:
        mixed = ", ".join(f"{form} ({values[0]!r})" for form, values in forms.items())
        problems.append(f"dates in {len(forms)} forms: {mixed}")
    form = next(iter(forms), "none")
    return check("date_format", problems, f"{sum(map(len, forms.values()))} dates as {form}")


def _garbage(ch: str) -> bool:
    if ch in "\n\t\f\r ":
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")


def no_garbage(texts: Mapping[str, str]) -> AtsCheck:
    """No replacement characters, private-use or control codes, or `(cid:N)` placeholders:
    glyphs whose text an ATS cannot recover."""
    problems = []
    for tool, text in texts.items():
        bad = [ch for ch in text if _garbage(ch)]
        cids = re.findall(r"\(cid:\d+\)", text)
        if bad or cids:
            sample = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(bad[:50])) or cids[0]
            problems.append(f"{tool}: {len(bad) + len(cids)} garbage glyphs ({sample})")
    return check("no_garbage_glyphs", problems, "every glyph extracts as text")
