"""The skill matcher's compiled index (pipeline/data/skill_index.json) and phrase lookup in it.

scripts/build_skill_index.py compiles the index from skills.json once, with spaCy; loading it
is one JSON read with no tokenising, so the first match of a process costs milliseconds. Its
layout is described in that script.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress
from typing import Any

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import SkillEntry

FORMAT = 1  # scripts/build_skill_index.py FORMAT
TERMINAL = ""

Trie = dict[str, Any]  # token → Trie, and TERMINAL → entry numbers


@dataclass(frozen=True, eq=False)  # hashed by identity: one cached instance per process
class SkillIndex:
    taxonomy_sha256: str
    tokenizer: dict[str, str]  # "prefix", "suffix", "infix" regular expressions
    rows: list[list[Any]]  # name, kind, category, source, aliases, exact, items
    lower: Trie
    orth: Trie
    listed: Trie
    items: dict[str, int]
    _entries: dict[int, SkillEntry]

    def entry(self, number: int) -> SkillEntry:
        """The entry of a row, built on first use: a posting names a few dozen of 10,000."""
        found = self._entries.get(number)
        if found is None:
            name, kind, category, source, aliases, exact, items = self.rows[number]
            found = SkillEntry(name=name, kind=SkillKind(kind), category=category,
                               source=source, aliases=tuple(aliases), exact=tuple(exact),
                               items=tuple(items))
            self._entries[number] = found
        return found

    def __len__(self) -> int:
        return len(self.rows)


def parse_index(raw: str | bytes) -> SkillIndex:
    # Every object this creates stays alive: a collection while parsing (it would run several
    # times) only costs time.
    gc.disable()
    try:
        doc = json.loads(raw)
    finally:
        gc.enable()
    if doc.get("format") != FORMAT:
        raise ValueError(f"skill index format {doc.get('format')!r}, expected {FORMAT}: "
                         "rebuild it with scripts/build_skill_index.py")
    return SkillIndex(taxonomy_sha256=doc["taxonomy_sha256"], tokenizer=doc["tokenizer"],
                      rows=doc["entries"], lower=doc["lower"], orth=doc["orth"],
                      listed=doc["listed"], items=doc["items"], _entries={})


@lru_cache(maxsize=1)
def load_skill_index() -> SkillIndex:
    raw = resources.files("pipeline").joinpath("data/skill_index.json").read_bytes()
    return parse_index(raw)


def find_phrases(trie: Trie, words: Sequence[str]) -> Iterator[tuple[int, int, int]]:
    """(entry number, start, end) for every phrase of the trie in `words`, overlapping ones
    included, in spaCy PhraseMatcher's order: by start, then shortest first."""
    count = len(words)
    # the few places a phrase can start, found at C speed
    for start in compress(range(count), map(trie.__contains__, words)):
        node = trie[words[start]]
        end = start + 1
        while node is not None:
            for number in node.get(TERMINAL, ()):
                yield number, start, end
            if end == count:
                break
            node = node.get(words[end])
            end += 1
