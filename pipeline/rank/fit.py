"""Fit: how well a posting fits the candidate, the key that `rank` sorts by.

The match rate answers "how much of what this posting asks does the resume meet", so a posting
that asks for one thing the resume has scores 100%. Ranking many postings for one candidate
needs the other direction too: is this the candidate's line of work and level, and does the
posting use what the candidate is strongest at. Fit, 0..1, is

    0.30 coverage + 0.20 centrality + 0.35 role + 0.15 seniority − 0.35 gaps   (clipped)

- coverage: the posting's requirements, weighted by importance, credited by how central each is
  to the candidate (see `Candidate.centrality`), and shrunk toward a prior share by a few
  requirements' worth of weight, so a posting that names one or two skills cannot reach the top
  on them alone, while one that asks for many is judged on its share, not its length;
- centrality: the absolute amount of central overlap, saturating: a posting that uses many of
  the candidate's core skills beats one that uses one;
- role: the posting's role family (software, nursing, finance...) against the candidate's
  titles, and how many of the posting title's words or skills the candidate holds;
- seniority: the posting's level (or the years it asks) against the candidate's;
- gaps: a penalty for must-have skills with no evidence at all, years far short, a required
  degree above the candidate's, and a level far off.

Generic skills (soft skills, spoken languages, office software) count a third: sharing
"English" or "Excel" says little about fit. Everything is deterministic arithmetic over the
parsed posting and a `Candidate` built once per resume.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from pipeline.jsonresume import Resume
from pipeline.models import (
    EducationLevel,
    FitParts,
    FitReport,
    JobAnalysis,
    Section,
    SkillKind,
    SkillRequirement,
)
from pipeline.parse.posting_facts import seniority_of
from pipeline.rank import roles
from pipeline.score.resume_profile import Hit, ResumeProfile, to_date

WEIGHTS = {"coverage": 0.30, "centrality": 0.20, "role": 0.35, "seniority": 0.15}
GAP_WEIGHT = 0.35
_PRIOR_SHARE = 0.3  # coverage a posting is assumed to have before its requirements are seen
_PRIOR_WEIGHT = 1.5  # in importance units: about two ordinary requirements
_OVERLAP_SCALE = 2.0  # central overlap (importance × centrality) that reaches 1 − 1/e
_EVIDENCE_FLOOR = 0.4  # credit for a skill evidenced anywhere, before its centrality
_GENERIC_FACTOR = 0.33
_PREFERRED_FACTOR = 0.6
_MUST_HAVE_IMPORTANCE = 0.75
_UNKNOWN_FAMILY = 0.35  # the posting names no role we know
_UNKNOWN_LEVEL = 0.7
_GENERIC_CATEGORIES = frozenset({
    "Languages", "Office software", "Project tools", "computer use", "Word processing software",
    "Presentation software", "Electronic mail software", "Desktop communications software",
})
_PATH = re.compile(r"^(\w+)(?:\[(\d+)\])?\.(\w+)")
# How much a mention in each place says the skill is the candidate's own, before recency.
_PLACE = {
    ("basics", "label"): 1.0, ("basics", "summary"): 0.8,
    ("work", "position"): 1.0, ("work", "highlights"): 0.75, ("work", "summary"): 0.6,
    ("work", "description"): 0.55,
    ("skills", "keywords"): 0.6, ("skills", "name"): 0.5,
    ("projects", "name"): 0.55, ("projects", "highlights"): 0.55, ("projects", "keywords"): 0.55,
    ("projects", "description"): 0.45,
    ("certificates", "name"): 0.6, ("languages", "language"): 0.5,
    ("education", "area"): 0.5, ("education", "courses"): 0.25,
    ("volunteer", "highlights"): 0.4, ("volunteer", "summary"): 0.35,
    ("awards", "summary"): 0.35, ("publications", "summary"): 0.35,
    ("interests", "keywords"): 0.15,
}
_LEVELS = list(EducationLevel)


@dataclass(frozen=True)
class Candidate:
    """What ranking needs from one resume, computed once for any number of postings."""

    centrality: dict[str, float]  # canonical skill → 0..1, how much it is the candidate's own
    titles: tuple[tuple[str, float], ...]  # (title, how current: 1 for the label and newest)
    families: dict[str, float]  # role family → how current the title naming it is
    level: int | None  # roles.SENIORITY_RANK
    years: float | None
    education: EducationLevel | None


def build_candidate(resume: Resume, profile: ResumeProfile, *, today: date) -> Candidate:
    jobs = _job_spans(resume, today)
    centrality = {
        name: _centrality(hits, jobs) for name, hits in profile.hits.items()
    }
    ordered = sorted(resume.work, key=lambda w: w.startDate or "", reverse=True)
    titles: list[tuple[str, float]] = []
    if resume.basics.label:
        titles.append((resume.basics.label, 1.0))
    positions = [w.position for w in ordered if w.position]
    titles += [(title, max(0.4, 1.0 - 0.2 * i)) for i, title in enumerate(positions)]
    families: dict[str, float] = {}
    for title, weight in titles:
        for family in roles.families_of(title):
            families[family] = max(families.get(family, 0.0), weight)
    return Candidate(
        centrality=centrality,
        titles=tuple(titles),
        families=families,
        level=_candidate_level([t for t, _ in titles], profile.years),
        years=profile.years,
        education=profile.education,
    )


def score_fit(candidate: Candidate, analysis: JobAnalysis) -> FitReport:
    reasons: list[str] = []
    coverage, centrality = _coverage(candidate, analysis.skills(), reasons)
    role = _role(candidate, analysis, reasons)
    level_diff = _level_difference(candidate, analysis)
    seniority = _seniority(level_diff, reasons)
    gaps = _gaps(candidate, analysis, level_diff, reasons)
    parts = FitParts(
        coverage=round(coverage, 4), centrality=round(centrality, 4), role=round(role, 4),
        seniority=round(seniority, 4), gaps=round(gaps, 4),
    )
    raw = (WEIGHTS["coverage"] * coverage + WEIGHTS["centrality"] * centrality
           + WEIGHTS["role"] * role + WEIGHTS["seniority"] * seniority - GAP_WEIGHT * gaps)
    return FitReport(fit=round(min(1.0, max(0.0, raw)), 4), parts=parts, reasons=reasons)


# ---------------------------------------------------------------- the candidate


@dataclass(frozen=True)
class _Span:
    years: float
    recency: float  # 1 for a current or recent job, fading for old ones


def _job_spans(resume: Resume, today: date) -> dict[int, _Span]:
    spans = {}
    for i, work in enumerate(resume.work):
        if not work.startDate:
            continue
        start = to_date(work.startDate, end=False)
        stop = min(to_date(work.endDate, end=True), today) if work.endDate else today
        since = max(0.0, (today - stop).days / 365.25)
        spans[i] = _Span(
            years=max(0.0, (stop - start).days / 365.25),
            recency=1.0 if since <= 1 else max(0.4, 1.0 - 0.07 * (since - 1)),
        )
    return spans


def _centrality(hits: list[Hit], jobs: dict[int, _Span]) -> float:
    """Where the skill stands (a title beats a skills list beats a course), how long and how
    recently the jobs naming it ran, and in how many places the resume names it."""
    best, used_jobs, places = 0.0, set(), set()
    for hit in hits:
        match = _PATH.match(hit.field.path)
        if match is None:
            continue
        section, index, name = match.group(1), match.group(2), match.group(3)
        weight = _PLACE.get((section, name), 0.3)
        if section == "work" and index is not None:
            span = jobs.get(int(index))
            if span is not None:
                weight *= span.recency
                used_jobs.add(int(index))
        best = max(best, weight)
        places.add(hit.field.path)
    years = sum(jobs[i].years for i in used_jobs)
    spread = min(1.0, (len(places) - 1) / 4)
    return min(1.0, 0.55 * best + 0.25 * min(1.0, years / 6) + 0.2 * spread)


def _candidate_level(titles: list[str], years: float | None) -> int | None:
    for title in titles[:2]:  # the label and the newest position say the level now
        named = roles.level_of(title)
        if named is not None:
            return roles.SENIORITY_RANK[named]
    return _level_from_years(years)


def _level_from_years(years: float | None) -> int | None:
    if years is None:
        return None
    return 1 if years < 2 else 2 if years < 5 else 3


# ---------------------------------------------------------------- the parts


def _weight(req: SkillRequirement) -> float:
    generic = req.kind == SkillKind.soft or req.category in _GENERIC_CATEGORIES
    return (req.importance * (_GENERIC_FACTOR if generic else 1.0)
            * (1.0 if req.required else _PREFERRED_FACTOR))


def _has_alternative(candidate: Candidate, req: SkillRequirement) -> bool:
    return any(name in candidate.centrality for name in req.alternatives)


def _coverage(
    candidate: Candidate, skills: list[SkillRequirement], reasons: list[str]
) -> tuple[float, float]:
    asked = gained = overlap = 0.0
    central: list[str] = []
    met = 0
    for req in skills:
        cent = candidate.centrality.get(req.name)
        if cent is None and _has_alternative(candidate, req):
            continue  # met by an alternative the posting takes, which counts on its own
        weight = _weight(req)
        asked += weight
        if cent is None:
            continue
        met += 1
        gained += weight * (_EVIDENCE_FLOOR + (1 - _EVIDENCE_FLOOR) * cent)
        overlap += weight * cent
        if cent >= 0.6 and weight >= 0.5:
            central.append(req.name)
    coverage = (gained + _PRIOR_WEIGHT * _PRIOR_SHARE) / (asked + _PRIOR_WEIGHT)
    centrality = 1.0 - math.exp(-overlap / _OVERLAP_SCALE)
    reasons.append(f"has {met} of {len(skills)} skills asked"
                   + (f"; central: {', '.join(central[:6])}" if central else ""))
    return coverage, centrality


def _role(candidate: Candidate, analysis: JobAnalysis, reasons: list[str]) -> float:
    title = analysis.title or ""
    wanted = roles.families_of(title) or roles.families_of(analysis.text[:300])
    if not wanted:
        family = _UNKNOWN_FAMILY
    elif not candidate.families:
        family = 0.5
    else:
        family = max(
            weight * roles.family_similarity(posting, own)
            for posting in wanted for own, weight in candidate.families.items()
        )
    in_title = [s for s in analysis.hard_skills
                if any(m.section == Section.title for m in s.mentions)]
    named = (sum(candidate.centrality.get(s.name, 0.0) for s in in_title) / len(in_title)
             if in_title else 0.0)
    words = roles.title_overlap(title, candidate.titles) if title else 0.0
    role = 0.7 * family + 0.3 * max(words, named)
    reasons.append(
        f"role: {', '.join(sorted(wanted)) or 'unknown'} vs "
        f"{', '.join(sorted(candidate.families)) or 'unknown'} ({family:.0%})"
    )
    return role


def _posting_level(analysis: JobAnalysis) -> int | None:
    named = analysis.seniority
    if analysis.title and seniority_of(analysis.title) is not None:
        named = roles.level_of(analysis.title)  # "Sales Manager" is no management level
    if named is not None:
        return roles.SENIORITY_RANK[named]
    if analysis.min_years:
        return 3 if analysis.min_years >= 5 else 2 if analysis.min_years >= 3 else 1
    return None


def _level_difference(candidate: Candidate, analysis: JobAnalysis) -> int | None:
    wanted = _posting_level(analysis)
    if wanted is None or candidate.level is None:
        return None
    return wanted - candidate.level


def _seniority(diff: int | None, reasons: list[str]) -> float:
    if diff is None:
        return _UNKNOWN_LEVEL
    score = {0: 1.0, 1: 0.75, -1: 0.7, 2: 0.35, -2: 0.3}.get(diff, 0.0)
    if diff:
        reasons.append(f"seniority {'above' if diff > 0 else 'below'} yours by {abs(diff)}")
    return score


def _gaps(
    candidate: Candidate, analysis: JobAnalysis, level_diff: int | None, reasons: list[str]
) -> float:
    musts = [s for s in analysis.hard_skills if s.required
             and s.importance >= _MUST_HAVE_IMPORTANCE and s.category not in _GENERIC_CATEGORIES]
    missing = [s for s in musts
               if s.name not in candidate.centrality and not _has_alternative(candidate, s)]
    skills = sum(s.importance for s in missing) / (sum(s.importance for s in musts) + 1.0)
    penalty = 0.7 * skills
    if missing:
        reasons.append(f"missing must-haves: {', '.join(s.name for s in missing[:5])}")
    if analysis.min_years and candidate.years is not None:
        short = analysis.min_years - candidate.years
        if short > 1:
            penalty += min(0.4, 0.1 * short)
            reasons.append(f"asks {analysis.min_years:g} years, you have {candidate.years:g}")
    wanted = analysis.education
    if analysis.education_required and wanted is not None and wanted != EducationLevel.none:
        # no degree found counts as a high school diploma
        have = _LEVELS.index(candidate.education or EducationLevel.high_school)
        short_levels = _LEVELS.index(wanted) - have
        if short_levels > 0:
            penalty += min(0.3, 0.15 * short_levels)
            reasons.append(f"requires a {wanted.value} degree")
    if level_diff is not None and abs(level_diff) >= 3:
        penalty += 0.2
    return min(1.0, penalty)
