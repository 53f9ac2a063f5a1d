"""Items of a list of technologies that the matcher leaves out.

A line that lists a stack ("Tech stack: java, apache, continuous-integration", or the tag line
under a "Technologies" heading) names a skill in every item, also where the item alone is too
vague or too short for the matcher's context rules ("c", "apache", "mobile"). Such a line
follows a heading naming a stack ("Technologies", "Tech stack:", "Tools") or starts with one.
Its words the matcher did not cover become hard skills (the taxonomy's entry when the word is
one of its forms, else named by the surface form), except glue and stop words. A line of ten
words or more is prose, not a tag line. (Treating any short line that is mostly known skills
as a list was tried: it took "Developer" from "Full Stack Developer" and "experience" from
"Experience building RESTful web services".)
"""

from __future__ import annotations

import re

from pipeline.models import SkillKind
from pipeline.parse.stop_words import STOP_WORDS
from pipeline.taxonomy.gazetteer import SkillEntry, load_taxonomy
from pipeline.taxonomy.matcher import FoundSkill

LIST_CATEGORY = "Listed technologies"
_STACK_HEADING = re.compile(
    r"^[\s#*_]*(?:technolog(?:y|ies)(?: stack| used| we use)?|tech(?:nical)? stack|stack|tools"
    r"|tools and technologies|languages and tools)[\s*_]*:?[\s*_]*",
    re.IGNORECASE,
)
_ITEM = re.compile(r"[^\s,;/|()•·*]+")
_MAX_WORDS = 10
_GLUE = frozenset({"and", "or", "&", "+", "-", "–", "etc", "e.g", "i.e", "plus", "with"})


def find_list_items(text: str, found: list[FoundSkill]) -> list[FoundSkill]:
    """The uncovered words of every line that is a list of technologies (see the module)."""
    covered = sorted((f.start, f.end) for f in found)
    items: list[FoundSkill] = []
    offset = 0
    after_heading = False
    for raw in text.splitlines(keepends=True):
        start, line = offset, raw.rstrip("\r\n")
        offset += len(raw)
        if not line.strip():
            continue
        lead = _STACK_HEADING.match(line)
        if lead is not None and _STACK_HEADING.fullmatch(line) is not None:
            after_heading = True  # the list is on the lines under it
            continue
        body_start = start
        if lead and ":" in lead.group():
            body_start = start + lead.end()  # "Tech stack: java, apache"
        listed = after_heading or body_start > start
        after_heading = False
        if not listed:
            continue  # most lines: their words need not be found
        words = list(_ITEM.finditer(text, body_start, start + len(line)))
        if not words or len(words) > _MAX_WORDS:
            continue
        for m in words:
            word = m.group().strip(".:")
            if (not word[:1].isalnum() or word.lower() in STOP_WORDS or word.lower() in _GLUE
                    or word.startswith("<") or word[0].isdigit()
                    or _overlaps(covered, m.start(), m.end())):
                continue
            items.append(_as_skill(word, m.start()))
    return items


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans if s < end)


def _as_skill(word: str, start: int) -> FoundSkill:
    entry = load_taxonomy().canonical(word)
    if entry is None or entry.kind != SkillKind.hard:
        entry = SkillEntry(name=word, kind=SkillKind.hard, category=LIST_CATEGORY,
                           source="list", aliases=(), exact=(word,))
    return FoundSkill(entry, word, start, start + len(word))
