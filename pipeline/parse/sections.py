"""Split a posting into lines and tell which section each stands in, from its headings.

Headings come as Markdown (`## Requirements`, `**Nice to have**`; HTML's `<h2>` and `<strong>`
arrive as these), as plain lines ending in a colon (`What you'll do:`), as short Title Case /
UPPER CASE lines, or as a bare line that is a known heading phrase (`Nice to have`). Each line
inherits the section of the last heading above it; text before any heading is `other`. An
inline label (`Bonus points: Go, Rust`) places its own line, and the list right under it,
without ending the section it stands in. What each heading names comes from the phrase
vocabulary in pipeline.parse.headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Section
from pipeline.parse.headings import exact_heading_section, heading_section, inline_label

_MARKDOWN = re.compile(r"^\s*(#{1,6}\s+|\*\*|__)")
_DECOR = re.compile(r"^[\s#*_>=-]+|[\s*_:=-]+$")
_SENTENCE_END = re.compile(r"[.!?]$")
BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")  # a list item's mark


@dataclass(frozen=True, slots=True)
class PostingLine:
    """One non-empty line of the posting: where it stands and the section it falls under."""

    start: int
    end: int
    text: str
    section: Section
    heading: bool


def classify_heading(text: str) -> Section | None:
    """The section a heading names, or None when it names none we know."""
    return heading_section(text)


def _is_heading(raw: str) -> bool:
    stripped = raw.strip()
    words = _DECOR.sub("", stripped).split()
    if not words or len(words) > 8:
        return False
    if _MARKDOWN.match(raw) or stripped.endswith(":"):
        return True
    if stripped.startswith(("-", "*", "•", "·")) or _SENTENCE_END.search(stripped):
        return False  # a bullet or a sentence
    letters = [w for w in words if w[:1].isalpha()]
    if bool(letters) and (stripped.isupper() or all(w[0].isupper() for w in letters)):
        return True
    return exact_heading_section(" ".join(words)) is not None  # "Nice to have", "What we offer"


def split_lines(text: str) -> list[PostingLine]:
    """Every non-empty line of `text` with its offsets and section."""
    lines: list[PostingLine] = []
    section = Section.other
    listed: Section | None = None  # an inline label's section, carried by the list under it
    offset = 0
    for raw in text.splitlines(keepends=True):
        start, body = offset, raw.rstrip("\r\n")
        offset += len(raw)
        if not body.strip():
            continue
        labelled = inline_label(body)
        if labelled is not None:
            listed = labelled
            lines.append(PostingLine(start, start + len(body), body, labelled, heading=False))
            continue
        heading = _is_heading(body)
        if heading:
            listed = None
            named = classify_heading(_DECOR.sub("", body.strip()))
            if named is not None:
                section = named
            elif _MARKDOWN.match(body) or body.strip().endswith(":"):
                section = Section.other  # a heading we cannot place resets the section
        elif listed is not None and not BULLET.match(body):
            listed = None
        own = listed if listed is not None else section
        lines.append(PostingLine(start, start + len(body), body, own, heading=heading))
    return lines
