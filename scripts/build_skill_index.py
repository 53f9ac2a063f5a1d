"""Build pipeline/data/skill_index.json, the matcher's compiled form of pipeline/data/skills.json.

    python scripts/build_skill_index.py [--taxonomy pipeline/data/skills.json]
                                        [--out pipeline/data/skill_index.json]

Run after every change to skills.json (`make taxonomy` runs both builds); a test fails while the
index is stale. This is the one place that needs spaCy: the index holds
  - the prefix, suffix and infix expressions of the tokenizer below (spaCy's blank English
    tokenizer, also splitting on "/"), which pipeline.taxonomy.tokenizer applies without spaCy;
  - three token tries, one per phrase matcher of pipeline.taxonomy.matcher (`lower`: aliases
    compared lower-cased; `orth`: exact-case forms; `listed`: curated one-word lower-case
    names), each phrase tokenised by spaCy itself. A node maps a token to its child; the key ""
    holds the entries a phrase ending there names, in the order spaCy's PhraseMatcher reports them;
  - the entries' rows and the whole-item lookup (`items`: a normalised form → entry).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
TERMINAL = ""  # no token is empty, so this key never collides with one


def make_nlp() -> Any:
    """A blank English pipeline whose tokenizer also splits on "/" ("CI/CD", "Node.js/React")
    and has no special cases."""
    import spacy
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank("en")
    infixes = [*(nlp.Defaults.infixes or ()), r"/", r"(?<=[A-Za-z])[()](?=[A-Za-z])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # a full stop after a lone capital ends the sentence in a posting ("Python and R."), where
    # spaCy keeps "R." whole as an initial
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=^[A-Z])\."]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    tokenizer.url_match = None  # "Node.js/NodeJS" is two skills, not a URL
    # No special cases ("don't" → "do n't", "e.g."): no skill name needs them, and once a text
    # hits one spaCy stops caching the rest of its words, which made tokenising 8x slower.
    tokenizer.rules = {}
    tokenizer.max_cache_size = 100_000
    return nlp


def _patterns(nlp: Any) -> dict[str, str]:
    tokenizer = nlp.tokenizer
    if tokenizer.token_match is not None or tokenizer.url_match is not None or tokenizer.rules:
        raise SystemExit("pipeline.taxonomy.tokenizer reproduces a tokenizer without token_match, "
                         "url_match or special cases")
    found = {}
    for name, bound in (("prefix", tokenizer.prefix_search), ("suffix", tokenizer.suffix_search),
                        ("infix", tokenizer.infix_finditer)):
        pattern = bound.__self__
        if pattern.flags != re.UNICODE:
            raise SystemExit(f"the {name} expression has flags {pattern.flags}: not reproduced")
        found[name] = pattern.pattern
    return found


def _listed_forms(row: dict[str, Any]) -> list[str]:
    """Curated one-word names written in lower case: skills only within a list of skills."""
    return [f for f in row.get("exact", ()) if "curated" in row["source"] and f[1:].islower()]


def _trie(nlp: Any, rows: list[dict[str, Any]], attr: str, forms: Any) -> dict[str, Any]:
    """The phrase trie of one matcher, with entries in the order spaCy's PhraseMatcher gives
    them (checked against a real PhraseMatcher for phrases that name several entries)."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    phrases: dict[tuple[str, ...], list[int]] = {}
    for index, row in enumerate(rows):
        docs = list(nlp.tokenizer.pipe(forms(row)))
        if not docs:
            continue
        matcher.add(f"s{index}", docs)
        for doc in docs:
            if len(doc) == 0:
                continue
            words = tuple(t.lower_ if attr == "LOWER" else t.text for t in doc)
            owners = phrases.setdefault(words, [])
            if index not in owners:
                owners.append(index)
    root: dict[str, Any] = {}
    for words, owners in phrases.items():
        if len(owners) > 1:  # PhraseMatcher reports them in its hash map's order
            doc = Doc(nlp.vocab, words=list(words))
            keys = [nlp.vocab.strings[k] for k, s, e in matcher(doc) if (s, e) == (0, len(doc))]
            ordered = [int(key[1:]) for key in keys]
            if sorted(ordered) != sorted(owners):
                raise SystemExit(f"cannot order the entries of {words!r}: {keys} vs {owners}")
            owners = ordered
        node = root
        for word in words:
            node = node.setdefault(word, {})
        node[TERMINAL] = owners
    return root


def _items(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Every name, alias, exact and item form, lower-cased with runs of spaces collapsed."""
    index: dict[str, int] = {}
    for number, row in enumerate(rows):
        forms = (row["name"], *row.get("aliases", ()), *row.get("exact", ()),
                 *row.get("items", ()))
        for form in forms:
            index.setdefault(" ".join(form.lower().split()), number)
    return index


def build_index(taxonomy_bytes: bytes) -> dict[str, Any]:
    import spacy

    rows = json.loads(taxonomy_bytes)["skills"]
    nlp = make_nlp()
    return {
        "format": FORMAT,
        "generated_by": "scripts/build_skill_index.py",
        "taxonomy_sha256": hashlib.sha256(taxonomy_bytes).hexdigest(),
        "spacy_version": spacy.__version__,
        "tokenizer": _patterns(nlp),
        "entries": [
            [r["name"], r["kind"], r.get("category"), r["source"], r.get("aliases", []),
             r.get("exact", []), r.get("items", [])]
            for r in rows
        ],
        "lower": _trie(nlp, rows, "LOWER", lambda r: r.get("aliases", ())),
        "orth": _trie(nlp, rows, "ORTH", lambda r: r.get("exact", ())),
        "listed": _trie(nlp, rows, "LOWER", _listed_forms),
        "items": _items(rows),
    }


def dumps(index: dict[str, Any]) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    data = ROOT / "pipeline" / "data"
    parser.add_argument("--taxonomy", type=Path, default=data / "skills.json")
    parser.add_argument("--out", type=Path, default=data / "skill_index.json")
    args = parser.parse_args(argv)
    index = build_index(args.taxonomy.read_bytes())
    args.out.write_text(dumps(index), encoding="utf-8")
    print(f"wrote {args.out}: {len(index['entries'])} entries, "
          f"{args.out.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
