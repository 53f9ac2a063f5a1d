"""Tools the taxonomy does not list, found by their shape inside a run of known skills.

Postings list technologies in runs ("Dynatrace AppDynamics vmstat", "PHP 7 React jQuery
Memcached"), and new tools appear faster than any taxonomy. A word shaped like a product name
counts as a hard skill when it stands in such a run: next to a known hard skill (or to another
such word that is), with at most list punctuation or "and"/"or" between. Shapes:
  - an inner capital: "AppDynamics", "TestCafe", "gRPC", "JProfiler";
  - a file-like or versioned name: "three.js", "Socket.IO", "Dagger2";
  - an acronym of two to six capitals that is not a degree, title or place ("RDS", "MPLS").
Any other word breaks the run, so a capitalised word ("Travis", "Developer") never counts.
"""

from __future__ import annotations

import bisect
import re

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import SkillEntry
from pipeline.taxonomy.matcher import FoundSkill

PATTERN_CATEGORY = "Other tools"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.+#-][A-Za-z0-9]+)*[+#]*")
_GAP = re.compile(r"[\s,/&;|()+]*(?:\b(?:and|or|and/or)\b[\s,/&;|()+]*)?", re.IGNORECASE)
_INNER_CAPITAL = re.compile(
    r"^[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*$|^[a-z]+[A-Z]+$|^[A-Z]{2,3}[a-z]{2,}[A-Za-z0-9]*$")
_FILE_LIKE = re.compile(r"^[A-Za-z][\w-]*\.(?:js|io|net|py|ts|rb)$|^[A-Za-z]{2,}[0-9]{1,2}$",
                        re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z]{2,6}[0-9]?$")
# Capitals that are no tool: degrees, job titles, legal forms, places, calendar words, and
# the gender markers of European postings ("m/f/d").
_NOT_TOOLS = frozenset((
    "BSC", "MSC", "BA", "BS", "MA", "MS", "MBA", "PHD", "PH", "MD", "HR", "CEO", "CTO", "CFO",
    "COO", "CIO", "VP", "SVP", "EVP", "IT", "ID", "OK", "USA", "US", "UK", "EU", "EEA", "GMBH",
    "AG", "LTD", "LLC", "INC", "AS", "APS", "AB", "SA", "NV", "BV", "PLC", "CO", "AND", "OR",
    "THE", "FOR", "WITH", "YOU", "WE", "OUR", "TBD", "ASAP", "FAQ", "ETA", "CV", "RSVP", "NB",
    "PS", "MFD", "FTE", "PTO", "Q1", "Q2", "Q3", "Q4", "AM", "PM", "EST", "CET", "UTC", "GMT",
    "NYC", "SF", "LA", "DK", "SE", "NO", "DE", "FR", "NL", "ES", "IT", "USD", "EUR", "DKK", "GBP",
    "SEK", "NOK", "CHF", "KPI", "KPIS", "OKR", "OKRS", "ROI", "MVP", "POC", "FYI", "EOE", "EEO",
    "ADA",
))
_MASK = re.compile(r"<[A-Z]+>")
_KNOWN, _TOOL = "known", "tool"


def tool_shaped(word: str) -> bool:
    """Whether the word looks like a product name by itself (see the module)."""
    if len(word) < 2 or word.isalpha() and word.islower():
        return False  # every shape needs a capital, a digit or a dot: most words end here
    if word.upper() in _NOT_TOOLS:
        return False
    return bool(_INNER_CAPITAL.match(word) or _FILE_LIKE.match(word) or _ACRONYM.match(word))


def find_listed_tools(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """Tool-shaped words standing in a run of known hard skills (see the module), as skills
    named by their surface form. `found` are the matcher's hits in the same text."""
    hard = [(f.start, f.end) for f in found if f.kind == SkillKind.hard]
    if not hard:
        return []
    # The text as a sequence of items in order: known hard skills (KNOWN) and tool-shaped
    # words (TOOL). A run is a stretch of items with only list punctuation between; its TOOL
    # words count when it holds a KNOWN one. Any other word between two items breaks the run
    # (`_is_gap` allows only list punctuation and "and"/"or"), so other words need no item.
    taken = sorted((f.start, f.end) for f in found)
    items: list[tuple[int, int, str, str]] = [(s, e, _KNOWN, "") for s, e in hard]
    lines: dict[int, bool] = {}  # whether the line starting there is written in capitals
    for line_start, line_end in _lines_holding(text, hard):
        for m in _WORD.finditer(text, line_start, line_end):
            word = m.group()
            if not tool_shaped(word):  # glue ("and", "or") included
                continue
            start, end = m.span()
            if (_inside(taken, start, end) or _masked(text, start)
                    or _shouting(text, start, lines)):
                continue
            items.append((start, end, _TOOL, word))
    items.sort()
    tools: list[FoundSkill] = []
    run: list[tuple[int, str]] = []
    anchored = False
    previous_end = -1
    for start, end, kind, word in items:
        if previous_end < 0 or not _is_gap(text, previous_end, start):
            if anchored:
                tools += [_as_skill(w, s) for s, w in run]
            run, anchored = [], False
        if kind == _KNOWN:
            anchored = True
        else:
            run.append((start, word))
        previous_end = end
    if anchored:
        tools += [_as_skill(w, s) for s, w in run]
    return tools


def _lines_holding(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines (start, end) that hold one of the spans: a run never crosses a line's end
    (`_is_gap`), so a tool-shaped word on any other line has no known skill to stand by."""
    result: list[tuple[int, int]] = []
    for start, _ in sorted(spans):
        if result and start < result[-1][1]:
            continue  # on the line just taken
        line_end = text.find("\n", start)
        result.append((text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end))
    return result


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping spans."""
    i = bisect.bisect_right(spans, (start, end)) - 1
    return any(0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]
               for j in (i, i + 1))


def _shouting(text: str, start: int, lines: dict[int, bool]) -> bool:
    """Whether the word stands in a line written in capitals ("SENIOR BACKEND DEVELOPER"),
    where every word is shaped like an acronym. `lines` keeps each line's answer."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start not in lines:
        line_end = text.find("\n", start)
        line = text[line_start:line_end if line_end >= 0 else None]
        letters = [c for c in line if c.isalpha()]
        lines[line_start] = (len(letters) > 12
                             and sum(c.isupper() for c in letters) > 0.8 * len(letters))
    return lines[line_start]


def _is_gap(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    return len(gap) <= 12 and "\n" not in gap and bool(_GAP.fullmatch(gap))


def _masked(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] == "<" and bool(_MASK.match(text, start - 1))


def _as_skill(word: str, start: int) -> FoundSkill:
    entry = SkillEntry(name=word, kind=SkillKind.hard, category=PATTERN_CATEGORY,
                       source="pattern", aliases=(), exact=(word,))
    return FoundSkill(entry, word, start, start + len(word))
