"""Build pipeline/data/skills.json, the skills gazetteer the package ships.

    python scripts/build_taxonomy.py [--data ../shared/data] [--out pipeline/data/skills.json]

Sources, merged in this order (a later entry whose alias collides with an earlier one is folded
into it, so the curated canonical names win):
  1. curated (scripts/curated_skills.py, scripts/curated_fields.py): the names and aliases
     postings really use, in software and in other fields (licences, certifications, nursing,
     accounting, sales, marketing, teaching, trades, logistics...);
  2. O*NET 29.2 Technology Skills: vendor product names, with derived aliases
     ("Structured query language SQL" → "SQL", "Apache Kafka" → "Kafka");
  3. ESCO knowledge concepts (digital and language collections) with filtered alt labels;
     then ESCO's other preferred labels that are short noun phrases ("contract law");
  4. ESCO transversal skills as soft skills, mapped onto the curated soft names where they overlap.
Precision matters more than size: an alias that is a common English word is kept only as an
exact-case form ("Chef", "Swift"), or dropped when it has no capital letter to tell it apart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import curated_fields  # noqa: E402
import curated_skills as cur  # noqa: E402
import curated_tech  # noqa: E402
import esco_terms  # noqa: E402
import taxonomy_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ATTRIBUTION = [
    {
        "source": "onet",
        "text": "O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training "
        "Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark "
        "of USDOL/ETA. Modified: names filtered and aliases derived by resume-tailor.",
        "license": "CC BY 4.0",
        "url": "https://www.onetcenter.org/database.html",
    },
    {
        "source": "esco",
        "text": "© European Union, ESCO classification (v1.1.0 labels, v1.2.0 skill collections). "
        "Reused under CC BY 4.0; labels filtered and mapped by resume-tailor.",
        "license": "CC BY 4.0",
        "url": "https://esco.ec.europa.eu",
    },
    {"source": "curated", "text": "Aliases and soft skills curated by resume-tailor.",
     "license": "MIT"},
]
VENDORS = (
    "Microsoft", "Apache", "Oracle", "Adobe", "Google", "Amazon", "IBM", "Atlassian", "Autodesk",
    "Apple", "The MathWorks", "MathWorks", "Intuit", "ESRI", "Dassault Systemes", "Eclipse",
    "Unity Technologies", "StataCorp", "Trimble", "TechSmith", "Tenable", "Red Hat", "SAP",
    "Salesforce", "Cisco", "VMware", "Hewlett Packard", "HP", "Corel", "Avid Technology",
    "National Instruments", "Siemens", "PTC", "Bentley", "Wolfram Research", "JetBrains",
)
SUFFIXES = (
    " software", " programming language", " systems", " system", " CI", " software platform",
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9+#/&.-]{1,7}$")
_WORD = re.compile(r"[a-z][a-z'-]+")
_GLUE_WORDS = frozenset({"of", "for", "to", "in", "with", "on", "and", "or", "a", "the"})


def common_words(data: Path) -> set[str]:
    """English words that are not technology names: every lower-case word in the ESCO preferred
    labels (13,896 plain-English skill phrases) plus spaCy's stop words and the curated list."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = set(STOP_WORDS) | set(cur.AMBIGUOUS_WORDS)
    text = (data / "taxonomy-esco" / "skills_en_label.txt").read_text(encoding="utf-8")
    for token in re.findall(r"\S+", text):
        if token.islower():
            words.update(_WORD.findall(token))
    return words


class Builder:
    """Entries keyed by their lower-cased forms. A new row folds into an existing entry only
    through a *strong* form (its own name or label, a full product name); *weak* forms (ESCO
    alt labels, vendor-less names, derived acronyms) are attached when unclaimed but never pull
    a row into another entry: "Real estate ... REACT" must not become React, nor ESCO's
    "learning management systems" become Blackboard through an alt label."""

    def __init__(self, common: set[str]) -> None:
        self.common = common
        self.entries: list[dict[str, Any]] = []
        self.by_form: dict[str, dict[str, Any]] = {}  # lower-cased form → entry
        self.by_name: dict[tuple[str, str], dict[str, Any]] = {}  # (kind, lower name) → entry
        self.collisions: list[str] = []  # curated aliases claimed twice (a curation bug)
        self.weak: set[str] = set()  # forms claimed by a weak form; a strong one takes them

    def is_common(self, form: str) -> bool:
        words = form.lower().split()
        return all(w in self.common for w in words) and len(words) <= 2

    def all_common(self, form: str) -> bool:
        """Every word is common English, however many ("After the Deadline", an O*NET
        product, reads as a phrase in any posting's closing lines)."""
        return all(w in self.common for w in form.lower().split())

    def add(self, name: str, kind: str, category: str | None, source: str,
            aliases: list[str], exact: list[str], weak: Sequence[str] = (),
            *, by_name: bool = False, vetted: bool = False) -> None:
        forms = [a.strip() for a in aliases if a.strip()]
        exact = [e.strip() for e in exact if e.strip()]
        weak_forms: list[str] = []
        weak_exact: list[str] = []
        if source != "curated" and not vetted:  # vetted: the caller filtered the forms
            phrases = source == "esco"  # ESCO labels are deliberate phrases: "machine learning"
            forms, exact = self._vet(forms, phrases)
            weak_forms, weak_exact = self._vet(list(weak), phrases)
        if not forms and not exact:
            return
        entry = self.by_name.get((kind, name.lower())) if source == "curated" or by_name else None
        if entry is None and source != "curated" and not by_name:
            # deliberate names (curated, mapped ESCO) merge only by name; others by a strong form
            keys = [f.lower() for f in (*forms, *exact)]
            entry = next((self.by_form[k] for k in keys
                          if k in self.by_form and k not in self.weak), None)
        if entry is not None and entry["kind"] != kind:
            entry = None
        if entry is None:
            if all(f.lower() in self.by_form for f in (*forms, *exact)):
                return  # every form already names another entry: nothing would match this one
            entry = {"name": self._free_name(name, forms, kind), "kind": kind,
                     "category": category, "source": source, "aliases": [], "exact": []}
            self.entries.append(entry)
            self.by_name.setdefault((kind, entry["name"].lower()), entry)
        elif source not in entry["source"].split("+"):
            entry["source"] += "+" + source
        self._attach(entry, forms, exact, weak_forms, weak_exact, source)

    def _free_name(self, name: str, forms: list[str], kind: str) -> str:
        """The display name, unless another entry of this kind already answers to it
        ("REACT" the real-estate standard is shown by its expansion, not as "React")."""
        taken = self.by_form.get(name.lower())
        if taken is None or taken["kind"] != kind:
            return name
        return next((f for f in forms if f.lower() not in self.by_form), name)

    def _attach(self, entry: dict[str, Any], forms: list[str], exact: list[str],
                weak: list[str], weak_exact: list[str], source: str) -> None:
        for form in (*forms, *weak):
            key = form.lower()
            owner = self.by_form.get(key)
            if owner is not None and owner is not entry and key in self.weak and form in forms:
                owner["aliases"] = [a for a in owner["aliases"] if a.lower() != key]
                self.weak.discard(key)
                owner = None  # an ESCO label takes back its name from another's alt label
            if owner is None:
                entry["aliases"].append(form)
                self.by_form[key] = entry
                if form not in forms:
                    self.weak.add(key)
            elif owner is not entry and source == "curated":
                self.collisions.append(f"{form!r}: {owner['name']} and {entry['name']}")
        for form in (*exact, *weak_exact):
            owner = self.by_form.get(form.lower())
            if owner is None:
                entry["exact"].append(form)
                self.by_form[form.lower()] = entry
                if form not in exact:
                    self.weak.add(form.lower())
            elif owner is not entry and source == "curated":
                self.collisions.append(f"{form!r}: {owner['name']} and {entry['name']}")

    def _vet(self, forms: list[str], phrases: bool) -> tuple[list[str], list[str]]:
        """Split derived forms into safe case-insensitive aliases and exact-case ones. With
        `phrases`, a phrase of several common words is safe (an ESCO label: "data mining");
        without, it needs Title Case (an O*NET product: "Campaign Monitor", not "Total Access")."""
        safe: list[str] = []
        exact: list[str] = []
        for form in dict.fromkeys(forms):
            if len(form) < 2 or len(form.split()) > 6 or form.lower() in cur.ONET_BLOCKLIST:
                continue
            if phrases and " " in form and len(form) > 3:
                safe.append(form)
            elif len(form) <= 3 or self.is_common(form) or (
                    not phrases and self.all_common(form)):
                if self._distinctive_case(form):
                    exact.append(form)
            elif " " not in form:
                exact.append(form)  # a one-word product name keeps its case: "Tableau", "FastEST"
            else:
                safe.append(form)
        return safe, exact

    def _distinctive_case(self, form: str) -> bool:
        """Whether the capitalisation alone tells a product name from English: an acronym of
        three or more letters that is not a word ("CRM", not "TOTAL"), or a Title Case name of
        several words ("Campaign Monitor"). A single capitalised word ("Accounting") is not."""
        words = form.split()
        if len(words) == 1:
            return bool(_ACRONYM.match(form)) and len(form) >= 3 and form.lower() not in self.common
        return all(w[:1].isupper() for w in words)

    def vendorless(self, remainder: str) -> bool:
        """Whether a product name without its vendor still names that product: "DynamoDB" from
        "Amazon DynamoDB" does; "IOS" (Cisco), "ERP" (SAP), "IDE" (Eclipse) and "Business
        Intelligence" (SAP) name something else or nothing in particular."""
        if re.fullmatch(r"[A-Z]{1,3}", remainder):
            return False
        return not all(w in self.common for w in remainder.lower().split())


def onet_forms(name: str, builder: Builder) -> tuple[str, list[str], list[str]]:
    """A display name, the strong forms (the name itself, without its parenthesis or a "software"
    suffix, without a vendor that is not part of it) and weak forms (a trailing acronym) of an
    O*NET technology name."""
    forms = [name]
    weak: list[str] = []
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    for suffix in SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix) + 2:
            base = base[: -len(suffix)]
    forms.append(base)
    display = base
    words = base.split()
    if len(words) >= 3 and _ACRONYM.match(words[-1]):
        expansion = " ".join(words[:-1])
        initials = "".join(w[0] for w in words[:-1] if w[0].isalpha()).upper()
        if initials == words[-1]:  # "Structured query language SQL", not "SoftRisk SQL"
            forms.append(expansion)
            weak.append(words[-1])
            display = words[-1]
    for vendor in VENDORS:
        if base.startswith(vendor + " ") and len(base) > len(vendor) + 2:
            remainder = base[len(vendor) + 1:]
            if builder.vendorless(remainder):
                forms.append(remainder)
    return display, forms, weak


def add_onet(builder: Builder, data: Path) -> None:
    path = data / "taxonomy-onet" / "onet_technologies.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        display, forms, weak = onet_forms(row["name"], builder)
        hot = row["hot_technology"] or row["in_demand"]
        generic = display[:1].isupper() and display[1:].islower() and " " in display
        if generic and not hot:
            continue  # "Scanning software": a category of product, not a named skill
        category = (row["commodity_titles"] or [None])[0]
        builder.add(display, "hard", category, "onet", forms, [], weak)


def add_esco(builder: Builder, data: Path) -> None:
    path = data / "taxonomy-esco" / "esco_skill_collections.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["skill_type"] != "knowledge":
            continue
        collections = row["collections"]
        if "language" in collections:
            if " " in row["label"]:
                continue  # "understand spoken Luxembourgish" is a skill, not a language name
            builder.add(row["label"], "hard", "Languages", "esco", [row["label"]], [])
        elif "digital" in collections:
            label = row["label"]
            bare = re.sub(r"\s*\([^)]*\)", "", label).strip()
            alts = [a for a in row["alt_labels"] if _related(a, bare)]
            acronyms = [a for a in alts if _ACRONYM.match(a)]  # initials of the label: strong
            category = (row["broader"] or [None])[0]
            builder.add(bare, "hard", category, "esco", [label, bare, *acronyms], [],
                        [a for a in alts if a not in acronyms])
    for row in rows:
        if "transversal" in row["collections"] and row["skill_type"] == "skill/competence":
            add_transversal(builder, row)


def _related(alt: str, label: str) -> bool:
    """Keep an ESCO alt label only when it plainly names the same thing: an acronym of the label
    or a phrase sharing a content word with it (ESCO lists "SEQUEL" and "Subquery" under SQL)."""
    if _ACRONYM.match(alt):
        initials = "".join(w[0] for w in label.split() if w[:1].isalpha()).upper()
        return alt == initials
    if len(alt.split()) > 4:
        return False
    label_words = {w for w in _WORD.findall(label.lower()) if len(w) > 3}
    return bool(label_words & set(_WORD.findall(alt.lower())))


def add_esco_knowledge(builder: Builder, data: Path) -> None:
    """ESCO's other preferred labels that are short noun phrases naming a field of knowledge
    ("molecular biology", "contract law", "gas chromatography"). The labels file has no type,
    so a label counts as a verb phrase ("dig sewer trenches") when its first word starts more
    skill/competence concepts than knowledge ones in the typed collections, or starts many
    labels without ever starting a knowledge one."""
    folder = data / "taxonomy-esco"
    rows = [json.loads(line) for line in
            (folder / "esco_skill_collections.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = [ln.strip() for ln in
              (folder / "skills_en_label.txt").read_text(encoding="utf-8").splitlines()]
    labels = [label for label in labels if label]
    verbs: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    for row in rows:
        first = row["label"].split()[0].lower()
        (verbs if row["skill_type"] == "skill/competence" else heads)[first] += 1
    starts = Counter(label.split()[0].lower() for label in labels)
    for label in labels:
        words = label.lower().split()
        first = words[0]
        if not 2 <= len(words) <= 4 or _GLUE_WORDS & set(words):
            continue  # "types of aircraft", "advise on tax planning": not a name of a field
        if verbs[first] > heads[first] or first not in heads and (
                starts[first] >= 8 or first.endswith(("ise", "ize", "ate"))):
            continue
        if label.lower() in curated_fields.ESCO_LABEL_SKIP:
            continue
        builder.add(label[0].upper() + label[1:], "hard", "Knowledge", "esco", [label], [])


def add_transversal(builder: Builder, row: dict[str, Any]) -> None:
    label = row["label"].strip()
    if any(word in label for word in cur.ESCO_TRANSVERSAL_SKIP_WORDS):
        return
    name = cur.ESCO_SOFT_MAP.get(label, label)
    alts = [a for a in row["alt_labels"] if 2 <= len(a.split()) <= 4 and not a.startswith("use ")
            and a not in cur.ESCO_SOFT_ALT_SKIP]
    builder.add(name, "soft", None, "esco", [label], [], alts, by_name=label in cur.ESCO_SOFT_MAP)


def add_curated(builder: Builder) -> None:
    lines = [cur.HARD, curated_fields.CERTIFICATIONS, curated_fields.DOMAIN, curated_tech.TOOLS]
    for line in "\n".join(part.strip() for part in lines).splitlines():
        name, category, aliases, exact = (part.strip() for part in line.split("|"))
        exact_forms = exact.split(";")
        named = name.lower() in {e.strip().lower() for e in exact_forms}  # name is case-bound
        forms = aliases.split(";") if named else [name, *aliases.split(";")]
        builder.add(name, "hard", category, "curated", forms, exact_forms)
    for line in cur.SOFT.strip().splitlines():
        # the canonical name is matched only when listed among the phrases: "initiative" or
        # "innovation" alone is company talk ("a new initiative"), not a claim of the skill
        name, phrases = (part.strip() for part in line.split("|"))
        forms = [f.strip() for f in phrases.split(";")]
        forms += [f"{f} skills" for f in [name, *forms] if len(f.split()) <= 2]
        builder.add(name, "soft", "Soft skills", "curated", forms, [])


def add_list_only(builder: Builder) -> None:
    """Forms that name a skill only as a whole item of a list ("Word" in a skills list)."""
    for form, name in curated_fields.LIST_ONLY.items():
        entry = builder.by_name.get(("hard", name.lower()))
        if entry is None:
            raise SystemExit(f"LIST_ONLY names an unknown skill: {name}")
        if form.lower() not in builder.by_form:
            entry.setdefault("items", []).append(form)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                        help="the source data folder (default: ../shared/data beside the clone)")
    parser.add_argument("--out", type=Path, default=ROOT / "pipeline" / "data" / "skills.json")
    args = parser.parse_args(argv)
    problems = taxonomy_data.problems_in(args.data)
    if problems:
        print(taxonomy_data.describe(args.data, problems), file=sys.stderr)
        return 2
    builder = Builder(common_words(args.data))
    add_curated(builder)
    add_onet(builder, args.data)
    add_esco(builder, args.data)
    add_esco_knowledge(builder, args.data)
    esco_terms.add_single_word_labels(builder, args.data)
    add_list_only(builder)
    for collision in builder.collisions:
        print(f"warning: curated form claimed twice: {collision}", file=sys.stderr)
    doc = {
        "version": 1,
        "generated_by": "scripts/build_taxonomy.py",
        "attribution": ATTRIBUTION,
        "skills": builder.entries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    kinds = {k: sum(e["kind"] == k for e in builder.entries) for k in ("hard", "soft")}
    print(f"wrote {args.out}: {kinds['hard']} hard, {kinds['soft']} soft, "
          f"{args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
