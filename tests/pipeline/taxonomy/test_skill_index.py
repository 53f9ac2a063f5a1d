"""The compiled skill index: up to date with skills.json, and loaded without spaCy."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from importlib import resources

from pipeline.taxonomy.skill_index import load_skill_index
from scripts.build_skill_index import build_index


def test_index_is_built_from_the_shipped_taxonomy() -> None:
    taxonomy = resources.files("pipeline").joinpath("data/skills.json").read_bytes()
    index = load_skill_index()
    assert index.taxonomy_sha256 == hashlib.sha256(taxonomy).hexdigest(), (
        "pipeline/data/skill_index.json is stale: run scripts/build_skill_index.py")
    shipped = json.loads(resources.files("pipeline").joinpath("data/skill_index.json")
                         .read_bytes())
    rebuilt = build_index(taxonomy)
    for part in ("tokenizer", "entries", "lower", "orth", "listed", "items"):
        assert shipped[part] == rebuilt[part], (
            f"skill_index.json's {part} differs from a fresh build (another spaCy version?): "
            "run scripts/build_skill_index.py")


def test_matching_imports_no_spacy() -> None:
    code = (
        "import sys\n"
        "from pipeline.parse.posting import parse_posting\n"
        "analysis = parse_posting('Backend Engineer\\nRequirements:\\n- Python, k8s and Go')\n"
        "print(sorted(s.name for s in analysis.hard_skills))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'spacy', 'thinc'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    skills, modules = out.stdout.strip().splitlines()[-2:]
    assert skills == "['Backend development', 'Go', 'Kubernetes', 'Python']"
    assert modules == "[]"


def test_entries_are_built_once_and_equal_the_taxonomy() -> None:
    from pipeline.taxonomy.gazetteer import load_taxonomy

    index = load_skill_index()
    entries = load_taxonomy().entries
    assert len(index) == len(entries)
    for number in (0, len(entries) // 2, len(entries) - 1):
        assert index.entry(number) == entries[number]
        assert index.entry(number) is index.entry(number)
