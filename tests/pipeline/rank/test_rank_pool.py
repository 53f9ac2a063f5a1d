"""Ranking in worker processes gives exactly the one-process ranking."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.inputs import load_posting, load_resume
from pipeline.rank import rank_postings
from pipeline.rank.pool import BATCH, RankPool

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TODAY = date(2026, 1, 1)


def postings(count: int) -> list[tuple[str, str]]:
    texts = [load_posting(p) for p in sorted((EXAMPLES / "postings").iterdir())]
    # repeated texts tie: their order must stay the input order across batches
    return [(f"p{n}", texts[n % len(texts)]) for n in range(count)]


def test_workers_rank_as_one_process_does() -> None:
    resume = load_resume(EXAMPLES / "resumes" / "senior-backend.json")
    items = postings(3 * BATCH + 5)
    expected = rank_postings(resume, items, today=TODAY)
    seen: list[int] = []
    with RankPool(resume, processes=2, today=TODAY) as pool:
        ranked = pool.rank(iter(items), on_progress=lambda done, _: seen.append(done))
    assert [r.model_dump() for r in ranked] == [r.model_dump() for r in expected]
    assert seen == [BATCH, 2 * BATCH, 3 * BATCH, len(items)]


def test_one_process_ranks_in_this_one() -> None:
    resume = load_resume(EXAMPLES / "resumes" / "data-scientist.json")
    items = postings(7)
    with RankPool(resume, processes=1, today=TODAY) as pool:
        assert pool.rank(items) == rank_postings(resume, items, today=TODAY)
