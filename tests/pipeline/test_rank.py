"""The rank stage: one resume against many postings."""

from __future__ import annotations

import time
from datetime import date

from pipeline.jsonresume import Resume
from pipeline.rank import rank_postings

RESUME = Resume.model_validate({
    "basics": {"label": "Data Engineer"},
    "work": [{"position": "Data Engineer", "startDate": "2018-01",
              "highlights": ["Built Spark and Airflow pipelines in Python on AWS"]}],
    "skills": [{"name": "Data", "keywords": ["Python", "Apache Spark", "Airflow", "SQL", "AWS"]}],
})

POSTINGS = [
    ("frontend", "Frontend Engineer\nRequirements:\nReact, TypeScript, CSS and Figma.\n"),
    ("data", "Data Engineer\nRequirements:\nPython, SQL, Airflow and Spark on AWS.\n"),
    ("mixed", "Backend Engineer\nRequirements:\nPython and Kubernetes, some SQL.\n"),
    ("empty", "   "),
]


def test_best_fit_first_and_empty_items_kept() -> None:
    ranked = rank_postings(RESUME, POSTINGS, today=date(2026, 1, 1))
    assert [r.id for r in ranked] == ["data", "mixed", "frontend", "empty"]
    assert ranked[0].match_rate > ranked[1].match_rate > ranked[2].match_rate
    assert ranked[-1].match_rate == 0.0
    assert ranked[0].title == "Data Engineer"
    assert "Kubernetes" in ranked[1].top_missing


def test_progress_is_reported_per_posting() -> None:
    seen: list[tuple[int, str]] = []
    rank_postings(RESUME, iter(POSTINGS), on_progress=lambda n, pid: seen.append((n, pid)))
    assert seen == [(1, "frontend"), (2, "data"), (3, "mixed"), (4, "empty")]


def test_hundreds_of_postings_rank_in_seconds() -> None:
    many = [(f"{name}-{i}", text) for i in range(100) for name, text in POSTINGS[:3]]
    rank_postings(RESUME, many[:3])  # warm the matcher and tokenizer
    started = time.perf_counter()
    ranked = rank_postings(RESUME, many)
    assert len(ranked) == 300
    assert time.perf_counter() - started < 10.0  # ~0.3 s here; generous for a slow CI box
