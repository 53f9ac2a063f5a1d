"""The score stage: resume + JobAnalysis → MatchReport.

Match rate, as commercial ATS reports weigh it (Jobscan-like), over the parts the posting asks
for (a part it does not ask for is left out and the weights renormalised):
    hard skills 0.55 · title 0.15 · education 0.10 · years 0.10 · soft skills 0.10
Skill parts are importance-weighted shares of the posting's skills.

What counts as matched (the rate "as written"): a skill is matched, its state *shown*, when a
surfaced place of the resume (skills keywords, highlights, the summary, titles; see
resume_profile) names it with the posting's own wording or its canonical name — what a
keyword-matching ATS would see. The ceiling counts every skill the resume evidences by name or
word form anywhere, surfaced or not: the rate it could reach truthfully by surfacing and
re-wording what it already holds. A skill evidenced only by a related tool (Grafana for
Monitoring) is *evidenced* but outside the ceiling: no truthful rewording writes in a word the
resume lacks. Skills with no evidence at all are *absent*, the only ones called missing
(see evidence.py).
"""

from __future__ import annotations

from datetime import date

from pipeline.jsonresume import Resume
from pipeline.models import (
    EducationLevel,
    EvidenceBasis,
    JobAnalysis,
    MatchReport,
    RateComponent,
    SkillKind,
    SkillMatch,
    SkillRequirement,
    SkillState,
)
from pipeline.score.evidence import skill_evidence
from pipeline.score.resume_profile import ResumeProfile, build_profile, title_words

WEIGHTS = {"hard_skills": 0.55, "title": 0.15, "education": 0.10, "years": 0.10,
           "soft_skills": 0.10}
_LEVELS = list(EducationLevel)


def score_match(resume: Resume, analysis: JobAnalysis, *, today: date | None = None) -> MatchReport:
    """How well `resume` matches the posting behind `analysis`: each skill matched or missing
    with its evidence, the weighted match rate and the honest ceiling. `today` (default: the
    real date) ends any current job when counting years. Raises nothing for valid models.
    """
    return score_profile(build_profile(resume, today=today), analysis)


def score_profile(profile: ResumeProfile, analysis: JobAnalysis) -> MatchReport:
    skills = _covered([_skill_match(req, profile) for req in analysis.skills()], analysis)
    skills.sort(key=lambda s: (-s.importance, s.kind != SkillKind.hard, s.name))
    title_score, title_detail = _title(profile, analysis)
    parts = {
        "hard_skills": _skill_part(skills, SkillKind.hard, surfaced_only=True),
        "soft_skills": _skill_part(skills, SkillKind.soft, surfaced_only=True),
        "title": (title_score, title_detail) if analysis.title else None,
        "education": _education(profile, analysis),
        "years": _years(profile, analysis),
    }
    ceiling_parts = dict(parts)
    ceiling_parts["hard_skills"] = _skill_part(skills, SkillKind.hard, surfaced_only=False)
    ceiling_parts["soft_skills"] = _skill_part(skills, SkillKind.soft, surfaced_only=False)
    present = {name: part for name, part in parts.items() if part is not None}
    total_weight = sum(WEIGHTS[name] for name in present) or 1.0
    breakdown = [
        RateComponent(name=name, weight=round(WEIGHTS[name] / total_weight, 4),
                      score=round(score, 4), detail=detail)
        for name, (score, detail) in present.items()
    ]
    # from the unrounded parts, as the ceiling is: rounding each part first could put the rate
    # a hair above a ceiling it equals
    rate = sum(WEIGHTS[name] / total_weight * part[0] for name, part in present.items())
    ceiling = sum(
        WEIGHTS[name] / total_weight * part[0]
        for name, part in ceiling_parts.items() if part is not None
    )
    return MatchReport(
        match_rate=round(min(rate, 1.0), 4),
        ceiling=round(min(max(ceiling, rate), 1.0), 4),
        breakdown=breakdown,
        skills=skills,
        title_match=bool(analysis.title) and title_score >= 0.5,
        resume_title=profile.titles[0] if profile.titles else None,
        resume_years=profile.years,
        resume_education=profile.education,
    )


def _skill_match(req: SkillRequirement, profile: ResumeProfile) -> SkillMatch:
    evidence, resume_forms, state = skill_evidence(req, profile)
    return SkillMatch(
        name=req.name,
        kind=req.kind,
        importance=req.importance,
        required=req.required,
        matched=state == SkillState.shown,
        state=state,
        evidence=evidence,
        resume_forms=resume_forms,
    )


def _covered(skills: list[SkillMatch], analysis: JobAnalysis) -> list[SkillMatch]:
    """Skills not shown whose place the posting lets an alternative the resume shows take
    ("Power BI or Tableau", Tableau shown): covered, by the most important such alternative."""
    shown = {s.name: s.importance for s in skills if s.state == SkillState.shown}
    offered = {req.name: req.alternatives for req in analysis.skills() if req.alternatives}
    out = []
    for skill in skills:
        taking = [name for name in offered.get(skill.name, ()) if name in shown]
        if taking and skill.state != SkillState.shown:
            by = max(taking, key=lambda name: shown[name])
            skill = skill.model_copy(update={"state": SkillState.covered, "covered_by": by})
        out.append(skill)
    return out


def _skill_part(
    skills: list[SkillMatch], kind: SkillKind, *, surfaced_only: bool
) -> tuple[float, str] | None:
    # A covered skill's requirement is met by its alternative, which counts on its own.
    mine = [s for s in skills if s.kind == kind and s.state != SkillState.covered]
    if not mine:
        return None
    total = sum(s.importance for s in mine) or 1.0
    got = [s for s in mine if (s.matched if surfaced_only else s.matched or any(
        e.basis != EvidenceBasis.related for e in s.evidence))]
    share = sum(s.importance for s in got) / total
    return share, f"{len(got)} of {len(mine)} {kind.value} skills, {share:.0%} by importance"


def _title(profile: ResumeProfile, analysis: JobAnalysis) -> tuple[float, str]:
    wanted = title_words(analysis.title or "")
    if not wanted:
        return 0.0, "no title in the posting"
    best, best_title = 0.0, None
    for title in profile.titles:
        share = len(wanted & title_words(title)) / len(wanted)
        if share > best:
            best, best_title = share, title
    if best_title is None:
        return 0.0, f"no resume title shares a word with '{analysis.title}'"
    return best, f"'{best_title}' vs '{analysis.title}'"


def _education(profile: ResumeProfile, analysis: JobAnalysis) -> tuple[float, str] | None:
    wanted = analysis.education
    if wanted is None or wanted == EducationLevel.none:
        return None
    have = profile.education
    if have is None:
        return (0.0 if analysis.education_required else 0.5), f"asks for {wanted.value}, none found"
    gap = _LEVELS.index(wanted) - _LEVELS.index(have)
    score = 1.0 if gap <= 0 else 0.5 if gap == 1 else 0.0
    return score, f"has {have.value}, asks for {wanted.value}"


def _years(profile: ResumeProfile, analysis: JobAnalysis) -> tuple[float, str] | None:
    if not analysis.min_years:
        return None
    have = profile.years or 0.0
    score = min(1.0, have / analysis.min_years)
    return score, f"{have:g} years of {analysis.min_years:g} asked"
