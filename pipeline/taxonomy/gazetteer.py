"""The shipped skills gazetteer (pipeline/data/skills.json, built by scripts/build_taxonomy.py).

Sources and their licences are recorded in the file's `attribution` block (O*NET 29.2, CC BY 4.0,
USDOL/ETA; ESCO, © European Union, CC BY 4.0; curated aliases).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pipeline.models import SkillKind


@dataclass(frozen=True, slots=True)
class SkillEntry:
    name: str  # canonical name
    kind: SkillKind
    category: str | None
    source: str  # "curated", "onet", "esco", or a "+"-joined mix
    aliases: tuple[str, ...]  # match case-insensitively
    exact: tuple[str, ...]  # match only with this capitalisation ("Go", "R", "Excel")
    items: tuple[str, ...] = ()  # name it only as a whole list item ("Word" in a skills list)


@dataclass(frozen=True, eq=False)  # hashed by identity: one cached instance per process
class Taxonomy:
    entries: tuple[SkillEntry, ...]
    attribution: tuple[dict[str, str], ...]

    def by_name(self) -> dict[str, SkillEntry]:
        return {e.name.lower(): e for e in self.entries}

    def canonical(self, form: str) -> SkillEntry | None:
        """The entry a surface form names, by exact alias lookup (no matcher needed)."""
        return _alias_index(self).get(form.strip().lower())


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    raw = resources.files("pipeline").joinpath("data/skills.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    entries = tuple(
        SkillEntry(
            name=row["name"],
            kind=SkillKind(row["kind"]),
            category=row.get("category"),
            source=row["source"],
            aliases=tuple(row.get("aliases", ())),
            exact=tuple(row.get("exact", ())),
            items=tuple(row.get("items", ())),
        )
        for row in doc["skills"]
    )
    return Taxonomy(entries=entries, attribution=tuple(doc["attribution"]))


@lru_cache(maxsize=1)
def _alias_index(taxonomy: Taxonomy) -> dict[str, SkillEntry]:
    index: dict[str, SkillEntry] = {}
    for entry in taxonomy.entries:
        for form in (entry.name, *entry.aliases, *entry.exact, *entry.items):
            index.setdefault(form.lower(), entry)
    return index
