"""The rank stage: one resume against many postings, best fit first.

The resume side (its skills and how central each is, titles, level, years, degree) is computed
once; each posting is then parsed, scored (the match rate) and fitted (pipeline.rank.fit, the sort
key) against it. Postings that cannot be parsed (empty text) are reported with a fit and rate
of 0 rather than stopping the batch, so one bad item never sinks 499 good ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.models import RankedPosting
from pipeline.parse import parse_posting
from pipeline.rank.fit import build_candidate, score_fit
from pipeline.score.match import score_profile
from pipeline.score.resume_profile import build_profile

ProgressCallback = Callable[[int, str], None]  # (postings done so far, id of the last one)


def rank_postings(
    resume: Resume,
    postings: Iterable[tuple[str, str]],
    *,
    on_progress: ProgressCallback | None = None,
    today: date | None = None,
    top_missing: int = 5,
) -> list[RankedPosting]:
    """(id, text) postings scored against one resume, best fit first (ties keep input
    order), each with its title, match rate, fit and its parts, and up to `top_missing`
    required skills the resume lacks (state absent: no evidence at all, so a skill it words
    differently is never called missing).

    An empty posting ranks with rate 0 instead of raising; `on_progress(done, id)` is called
    after each posting.
    """
    today = today or date.today()
    profile = build_profile(resume, today=today)
    candidate = build_candidate(resume, profile, today=today)
    ranked: list[RankedPosting] = []
    for done, (posting_id, text) in enumerate(postings, start=1):
        try:
            analysis = parse_posting(text)
        except InvalidInput:
            ranked.append(RankedPosting(id=posting_id, match_rate=0.0))
        else:
            report = score_profile(profile, analysis)
            fit = score_fit(candidate, analysis)
            missing = [s.name for s in report.missing if s.required]
            ranked.append(RankedPosting(
                id=posting_id,
                fit=fit.fit,
                fit_parts=fit.parts,
                fit_reasons=fit.reasons,
                match_rate=report.match_rate,
                title=analysis.title,
                top_missing=missing[:top_missing],
            ))
        if on_progress is not None:
            on_progress(done, posting_id)
    return best_first(ranked)


def best_first(ranked: Iterable[RankedPosting]) -> list[RankedPosting]:
    """The ranking order (pipeline.rank.pool merges its batches with it too)."""
    # stable: equal fits keep input order
    return sorted(ranked, key=lambda r: -r.fit)
