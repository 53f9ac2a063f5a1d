"""The hard-skill mention filter: which mentions a posting states as skills."""

from __future__ import annotations

from pathlib import Path

from pipeline.models import Section
from pipeline.parse import parse_posting
from pipeline.parse.mention_filter import (
    JUDGED_SECTIONS,
    MODEL_PATH,
    PlacedMention,
    load_model,
    mention_features,
)
from pipeline.parse.sections import split_lines
from pipeline.taxonomy.matcher import get_matcher


def test_the_trained_model_ships_with_the_package() -> None:
    model = load_model()
    assert model is not None, f"{MODEL_PATH} missing: run scripts/train_mention_filter.py"
    assert 0 < model.threshold < 1
    assert len(model.weights) > 1000 and "bias" in model.weights


def test_without_a_model_every_mention_stays(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json") is None


def _skills(text: str) -> dict[str, list[Section]]:
    return {s.name: [m.section for m in s.mentions] for s in parse_posting(text).hard_skills}


def test_a_perk_and_a_blurb_are_not_skills_asked_for() -> None:
    skills = _skills(
        "Data Engineer\n"
        "## About us\nWe are a fintech team that loves Elixir.\n"
        "## Requirements\n- Python and SQL\n"
        "What we offer: a Kafka conference each year\n")
    assert "Elixir" not in skills and "Apache Kafka" not in skills
    assert skills["Python"] == [Section.requirements]


def test_what_the_requirements_and_duties_name_stays_whatever_the_model_says() -> None:
    # The model alone drops these (trained on the whole posting it dropped "wound care" from
    # a nurse's duties): the sections that ask for skills are not judged.
    skills = _skills(
        "Registered Nurse\n"
        "## Responsibilities\n- Provide wound care and administer medications\n"
        "## Requirements\n- Experience with dbt and the modern data stack\n")
    assert {"Wound care", "dbt"} <= skills.keys()
    assert Section.requirements not in JUDGED_SECTIONS
    assert Section.responsibilities not in JUDGED_SECTIONS
    assert Section.title not in JUDGED_SECTIONS


def test_features_describe_the_mention_and_its_line() -> None:
    text = "Industry:\ncloud fintech\nWe use Python, Go and SQL daily.\n"
    lines = split_lines(text)
    hits = get_matcher().find(text)
    python = next(h for h in hits if h.text == "Python")
    index = next(i for i, line in enumerate(lines) if line.start <= python.start < line.end)
    features = mention_features(text, lines, [PlacedMention(python, Section.other, index)])[0]
    assert {"skill=python", "sec=other", "case=title", "first", "listctx", "sentence",
            "b0=use", "a0=go", "lw=daily"} <= set(features)
    cloud = next(h for h in hits if h.text == "cloud")
    tags = mention_features(text, lines, [PlacedMention(cloud, Section.other, 1)])[0]
    assert {"prevlabel=industry:", "tagline", "col0", "case=lower"} <= set(tags)
