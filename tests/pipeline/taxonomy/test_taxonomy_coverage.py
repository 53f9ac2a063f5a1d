"""What the taxonomy build adds and leaves out: ESCO's one-word labels by word rarity, curated
tools, and O*NET names that are plain phrases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.taxonomy.matcher import get_matcher

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def esco_terms() -> ModuleType:
    pytest.importorskip("wordfreq")  # a dev dependency: the build needs it, the package does not
    return _script("esco_terms")


def test_rare_one_word_labels_are_fields(esco_terms: ModuleType) -> None:
    assert esco_terms.field_or_product("genomics") == (["genomics"], [])
    assert esco_terms.field_or_product("photogrammetry") == (["photogrammetry"], [])


def test_products_keep_their_capitals(esco_terms: ModuleType) -> None:
    assert esco_terms.field_or_product("Wireshark") == ([], ["Wireshark"])


def test_common_words_verbs_and_languages_are_left_out(esco_terms: ModuleType) -> None:
    for label in ("energy", "history", "communication", "troubleshoot", "crimping", "plan"):
        assert esco_terms.field_or_product(label) is None, label
    assert esco_terms.field_or_product("Sardinian", frozenset({"Sardinian"})) is None


def _found(text: str) -> list[str]:
    return [hit.name for hit in get_matcher().find(text)]


def test_the_shipped_taxonomy_knows_common_tools_and_fields() -> None:
    found = _found("We run Kibana, Flink and Memcached; you know version control and genomics.")
    for name in ("Kibana", "Apache Flink", "Memcached", "Version control", "Genomics"):
        assert name in found, name


def test_plain_phrases_from_onet_need_their_capitals() -> None:
    # O*NET lists "After the Deadline" (a proofreading tool); postings close with the phrase
    assert _found("Applications received after the deadline will not be considered.") == []


def test_industries_are_not_skills() -> None:
    assert _found("We are a consulting company in e-commerce.") == []
