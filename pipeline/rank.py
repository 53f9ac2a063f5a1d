"""The rank stage: one resume against many postings, best fit first.

The resume side (its skills, titles, years, degree) is computed once; each posting is then
parsed and scored against it. Postings that cannot be parsed (empty text) are reported with a
rate of 0 rather than stopping the batch, so one bad item never sinks 499 good ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.models import RankedPosting
from pipeline.parse import parse_posting
from pipeline.score.resume_profile import build_profile
from pipeline.score.match import score_profile

ProgressCallback = Callable[[int, str], None]  # (postings done so far, id of the last one)


def rank_postings(
    resume: Resume,
    postings: Iterable[tuple[str, str]],
    *,
    on_progress: ProgressCallback | None = None,
    today: date | None = None,
    top_missing: int = 5,
) -> list[RankedPosting]:
    profile = build_profile(resume, today=today)
    ranked: list[RankedPosting] = []
    for done, (posting_id, text) in enumerate(postings, start=1):
        try:
            analysis = parse_posting(text)
        except InvalidInput:
            ranked.append(RankedPosting(id=posting_id, match_rate=0.0))
        else:
            report = score_profile(profile, analysis)
            missing = [s.name for s in report.skills if not s.matched and s.required]
            ranked.append(RankedPosting(
                id=posting_id,
                match_rate=report.match_rate,
                title=analysis.title,
                top_missing=missing[:top_missing],
            ))
        if on_progress is not None:
            on_progress(done, posting_id)
    return best_first(ranked)


def best_first(ranked: Iterable[RankedPosting]) -> list[RankedPosting]:
    """The ranking order (pipeline.rank_pool merges its batches with it too)."""
    # stable: equal rates keep input order
    return sorted(ranked, key=lambda r: -r.match_rate)
