"""The rank stage: one resume against many postings, best fit first.

The resume side (its skills and how central each is, titles, level, years, degree) is computed
once; each posting is then parsed, scored (the match rate) and fitted (pipeline.rank.fit, the sort
key) against it. Postings that cannot be parsed (empty text) are reported with a fit and rate
of 0 rather than stopping the batch, so one bad item never sinks 499 good ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.models import JobAnalysis, MatchReport, RankedPosting
from pipeline.parse import parse_posting
from pipeline.rank.fit import build_candidate, score_fit
from pipeline.score.match import score_profile
from pipeline.score.resume_profile import build_profile

ProgressCallback = Callable[[int, str], None]  # (postings done so far, id of the last one)


@dataclass(frozen=True)
class ScoredPosting:
    """One posting as ranking sees it: its line in the ranking, and the analysis and match
    report behind it (None for a posting that could not be parsed), for callers that keep them
    (the service stores them on the batch item's job, to tailor it later)."""

    ranked: RankedPosting
    analysis: JobAnalysis | None
    report: MatchReport | None


def score_postings(
    resume: Resume,
    postings: Iterable[tuple[str, str]],
    *,
    today: date | None = None,
    top_missing: int = 5,
) -> Iterator[ScoredPosting]:
    """Each (id, text) posting parsed, scored and fitted against one resume, in input order;
    lazily, so a caller can time or stream them. An empty posting gets fit and rate 0."""
    today = today or date.today()
    profile = build_profile(resume, today=today)
    candidate = build_candidate(resume, profile, today=today)
    for posting_id, text in postings:
        try:
            analysis = parse_posting(text)
        except InvalidInput:
            yield ScoredPosting(RankedPosting(id=posting_id, match_rate=0.0), None, None)
            continue
        report = score_profile(profile, analysis)
        fit = score_fit(candidate, analysis)
        missing = [s.name for s in report.missing if s.required]
        ranked = RankedPosting(
            id=posting_id,
            fit=fit.fit,
            fit_parts=fit.parts,
            fit_reasons=fit.reasons,
            match_rate=report.match_rate,
            title=analysis.title,
            top_missing=missing[:top_missing],
        )
        yield ScoredPosting(ranked, analysis, report)


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
    ranked: list[RankedPosting] = []
    scored = score_postings(resume, postings, today=today, top_missing=top_missing)
    for done, item in enumerate(scored, start=1):
        ranked.append(item.ranked)
        if on_progress is not None:
            on_progress(done, item.ranked.id)
    return best_first(ranked)


def best_first(ranked: Iterable[RankedPosting]) -> list[RankedPosting]:
    """The ranking order (pipeline.rank.pool merges its batches with it too)."""
    # stable: equal fits keep input order
    return sorted(ranked, key=lambda r: -r.fit)
