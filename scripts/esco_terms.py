"""ESCO's one-word preferred labels ("genomics", "photogrammetry", "Wireshark") for the taxonomy.

The labels file has no type and mixes fields of knowledge with everyday words ("energy",
"history", "plan"), so a word is kept by how rare it is in English (wordfreq's Zipf scale, the
base-10 log of occurrences per billion words): a rare word in a skills taxonomy names a field or
a product, a common one names neither in a posting. Product names keep their capitals and match
only with them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Zipf 4 is about once in 100,000 words: "biology", "physics" and "statistics" are above it and
# are curated by hand; "genomics" (2.5) and "cartography" (2.4) are below.
MAX_FIELD_ZIPF = 4.0
# A capitalised label is a product ("Wireshark", "Xcode") unless the word is common ("Angular",
# "Cisco" are curated or come from O*NET with their context).
MAX_PRODUCT_ZIPF = 3.0
# Endings of verbs and of things rather than fields: "troubleshoot", "crimping", "refrigerants".
_NOT_FIELD_ENDINGS = ("ing", "ise", "ize", "ate", "oot", "ants", "ents")
# Rare enough, yet in postings plain words about the employer: "a business ecosystem".
_EVERYDAY = frozenset({"ecosystems", "sensors", "blueprints", "livestock", "medicines"})


def field_or_product(
    label: str, languages: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]] | None:
    """The (case-insensitive, exact-case) forms under which a one-word ESCO label is kept, or
    None when it is an everyday word, a verb or one of `languages` (added elsewhere, with the
    context rules a language name needs)."""
    if label in languages or label.lower() in _EVERYDAY:
        return None
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(label, "en")
    if label.islower():
        if zipf >= MAX_FIELD_ZIPF or label.endswith(_NOT_FIELD_ENDINGS) or len(label) < 5:
            return None
        return [label], []
    if zipf >= MAX_PRODUCT_ZIPF or len(label) < 3:
        return None
    return [], [label]


def add_single_word_labels(builder: Any, data: Path) -> None:
    """Every one-word ESCO preferred label that names a field or a product (see the module)."""
    folder = data / "taxonomy-esco"
    languages = frozenset(
        row["label"] for row in map(json.loads, (folder / "esco_skill_collections.jsonl")
                                    .read_text(encoding="utf-8").splitlines())
        if "language" in row["collections"]
    )
    path = folder / "skills_en_label.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        label = line.strip()
        if not label or " " in label:
            continue
        forms = field_or_product(label, languages)
        if forms is None:
            continue
        aliases, exact = forms
        name = label[0].upper() + label[1:] if aliases else label
        builder.add(name, "hard", "Knowledge", "esco", aliases, exact, vetted=True)
