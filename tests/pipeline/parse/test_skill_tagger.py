"""The hard-skill phrase tagger: phrases no taxonomy lists, learned from SkillSpan's train split."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from pipeline.parse import parse_posting, skill_tagger
from pipeline.parse.skill_tagger import (
    LABELS,
    MODEL_PATH,
    TAGGER_CATEGORY,
    TaggerModel,
    clean_span,
    load_model,
    tokens_of,
)

PLANNER = (
    "Operations Analyst\n\n"
    "What you need:\n"
    "- 3+ years in demand forecasting and production planning\n"
    "- Knowledge of lean manufacturing and Excel\n"
)


def _tagged(text: str) -> list[str]:
    return [s.name for s in parse_posting(text).hard_skills if s.category == TAGGER_CATEGORY]


def test_the_trained_model_ships_and_loads_offline() -> None:
    model = load_model()
    assert model is not None, f"{MODEL_PATH} missing: run scripts/train_skill_tagger.py"
    assert len(model.weights) > 1000 and "bias" in model.weights
    assert MODEL_PATH.stat().st_size < 1_000_000


def test_a_phrase_outside_the_taxonomy_becomes_a_hard_skill(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _tagged(PLANNER) == ["production planning"]
    skill = next(s for s in parse_posting(PLANNER).hard_skills
                 if s.name == "production planning")
    assert skill.required and skill.mentions[0].start == PLANNER.index("production planning")
    monkeypatch.setattr(skill_tagger, "ENABLED", False)
    names = {s.name.lower() for s in parse_posting(PLANNER).hard_skills}
    assert "production planning" not in names  # the extractor alone misses it


def test_the_same_posting_gives_the_same_phrases() -> None:
    text = ("Backend Engineer\n## Requirements\n"
            "- Proficiency in one or more modern programming languages\n- Experience with Java\n")
    assert _tagged(text) == _tagged(text) == ["modern programming languages"]


def test_the_blurb_and_the_benefits_are_not_tagged() -> None:
    text = ("Research Assistant\n## About us\nWe study cell signaling and cancer biology.\n"
            "## Requirements\n- Experience with Python\n")
    assert _tagged(text) == []


def test_without_a_model_nothing_is_tagged(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json") is None


def _clean(text: str, phrase: str) -> str | None:
    start = text.index(phrase)
    span = clean_span(text, tokens_of(text, start, start + len(phrase)))
    return None if span is None else text[span[0]:span[1]]


def test_a_phrase_is_cleaned_for_a_users_eyes() -> None:
    text = ("and the production planning . a Master's degree ; tools - jules ( design ) "
            "as a data scientist in production with the IT security of modern scalable "
            "distributed event driven systems")
    assert _clean(text, "and the production planning .") == "production planning"
    assert _clean(text, "a Master's degree") is None  # education, not a hard skill
    assert _clean(text, "tools - jules") is None
    assert _clean(text, "( design )") is None  # a lone common word once trimmed
    assert _clean(text, "data scientist") is None  # a role
    assert _clean(text, "production") is None
    assert _clean(text, "modern scalable distributed event driven systems") is None  # too long
    assert _clean(text, "IT security") == "IT security"  # "IT" is no stop word "it" here
    assert _clean("Remote ( US ) or Denver", "( US )") is None
    settings = ("the wind industry , a strong publication record in a technical field of the "
                "Scandinavian market ; capital markets and medical records ; the IT landscape")
    for setting in ("wind industry", "publication record", "technical field",
                    "Scandinavian market", "IT landscape"):
        assert _clean(settings, setting) is None  # where the work happens, not a skill
    assert _clean(settings, "capital markets") == "capital markets"
    assert _clean(settings, "medical records") == "medical records"


def _brute_force(model: TaggerModel, scores: list[tuple[float, float, float]]) -> list[str]:
    def total(path: tuple[int, ...]) -> float:
        value = sum(scores[k][y] for k, y in enumerate(path))
        return value + sum(model.trans[a][b] for a, b in itertools.pairwise(path))
    best = max(itertools.product(range(3), repeat=len(scores)), key=total)
    return [LABELS[y] for y in best]


def test_the_decoder_finds_the_best_labels() -> None:
    model = load_model()
    assert model is not None
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 6)
        scores = [tuple(rng.uniform(-4, 4) for _ in range(3)) for _ in range(n)]
        assert model._viterbi(scores) == _brute_force(model, scores)  # type: ignore[arg-type]
