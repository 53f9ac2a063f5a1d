"""Split a posting into lines and tell which section each stands in, from its headings.

Headings come as Markdown (`## Requirements`, `**Nice to have**`), as plain lines ending in a
colon (`What you'll do:`), or as short Title Case / UPPER CASE lines. Each line inherits the
section of the last heading above it; text before any heading is `other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Section

# Checked in order: "preferred qualifications" is preferred before it is requirements, and
# "who we are looking for" is requirements before "who we are" is about.
_HEADING_PATTERNS: tuple[tuple[Section, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (Section.preferred, r"nice[- ]to[- ]have|preferred|bonus|\bplus(es)?\b|desir(ed|able)"
                            r"|good to have"
                            r"|would be (great|nice)|extra credit|ideally|not required"),
        (Section.benefits, r"benefits?|perks|what we offer|we offer|compensation|salary|why join"
                           r"|why work|in it for you|our offer|package"),
        (Section.responsibilities, r"responsibilit|what you('| wi)ll (do|be doing)|your role"
                                   r"|the role|about the (role|job|position)|duties"
                                   r"|day[- ]to[- ]day"
                                   r"|in this role|your mission|your tasks|what you will do|tasks"
                                   r"|the job|the opportunity|your impact"),
        (Section.requirements, r"requirement|qualification|what you('| wi)ll bring|you bring"
                               r"|must[- ]haves?|looking for|about you|you have|your profile"
                               r"|ideal candidate|you should have|skills|experience|who you are"
                               r"|competenc|required|essential|your background|what we need"
                               r"|what you need|need to succeed"),
        (Section.about, r"about (us|the company|the team)|who we are|our (company|mission|story"
                        r"|team|culture)|company (overview|description)|^about\b|the company"
                        r"|our values|why us"),
    )
)
_MARKDOWN = re.compile(r"^\s*(#{1,6}\s+|\*\*|__)")
_DECOR = re.compile(r"^[\s#*_>=-]+|[\s*_:=-]+$")
_SENTENCE_END = re.compile(r"[.!?]$")


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
    for section, pattern in _HEADING_PATTERNS:
        if pattern.search(text):
            return section
    return None


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
    return bool(letters) and (stripped.isupper() or all(w[0].isupper() for w in letters))


def split_lines(text: str) -> list[PostingLine]:
    """Every non-empty line of `text` with its offsets and section."""
    lines: list[PostingLine] = []
    section = Section.other
    offset = 0
    for raw in text.splitlines(keepends=True):
        start, body = offset, raw.rstrip("\r\n")
        offset += len(raw)
        if not body.strip():
            continue
        heading = _is_heading(body)
        if heading:
            named = classify_heading(_DECOR.sub("", body.strip()))
            if named is not None:
                section = named
            elif _MARKDOWN.match(body) or body.strip().endswith(":"):
                section = Section.other  # a heading we cannot place resets the section
        lines.append(PostingLine(start, start + len(body), body, section, heading))
    return lines
