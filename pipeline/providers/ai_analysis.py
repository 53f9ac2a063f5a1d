"""A model adds to the deterministic posting analysis; it never replaces it.

What the model may add: a tone where the rules saw none, culture values, skills the job
implies but does not name (normalised to the taxonomy, anything outside it dropped, added as
preferred with a low importance so they cannot dominate the match rate), and bounded nudges to
the importance of skills the parser found. What it cannot do: remove or rename a skill, touch
mentions, years, education, title or seniority. Every addition is written to
`provider_notes`, so the report shows what came from a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pipeline.models import JobAnalysis, SkillKind, SkillRequirement, Tone
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.prompts import fence, load_prompt
from pipeline.providers.usage import UsageMeter
from pipeline.taxonomy.gazetteer import SkillEntry, load_taxonomy
from pipeline.taxonomy.matcher import SkillMatcher, get_matcher

IMPLIED_IMPORTANCE = 0.3  # below any stated requirement the parser weighs
MAX_IMPORTANCE_SHIFT = 0.2
MAX_VALUES = 10
POSTING_CHARS = 12_000


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ImpliedSkill(_Answer):
    name: str = Field(max_length=80)
    reason: str = Field(default="", max_length=400)


class ImportanceHint(_Answer):
    name: str = Field(max_length=80)
    importance: float = Field(ge=0.0, le=1.0)
    reason: str = Field(default="", max_length=400)


class AnalysisAnswer(_Answer):
    tone: Tone
    values: list[str] = Field(default_factory=list, max_length=12)
    implied_skills: list[ImpliedSkill] = Field(default_factory=list, max_length=16)
    importance: list[ImportanceHint] = Field(default_factory=list, max_length=20)


@dataclass(frozen=True)
class Enrichment:
    analysis: JobAnalysis
    provider: str  # "local" when no model answered
    model: str = ""
    prompt_version: str = ""


def enrich_analysis(
    analysis: JobAnalysis,
    chain: ProviderChain,
    meter: UsageMeter,
    *,
    matcher: SkillMatcher | None = None,
) -> Enrichment:
    found = ", ".join(skill.name for skill in analysis.skills()) or "(none)"
    prompt = load_prompt("analyze_posting")
    variables = {"found": found, "posting": fence("posting", analysis.text[:POSTING_CHARS])}
    answered = chain.ask(prompt, variables, AnalysisAnswer, meter, max_tokens=1200)
    if answered is None:
        return Enrichment(analysis, "local")
    merged = merge_answer(analysis, answered.value, answered.provider, matcher or get_matcher())
    return Enrichment(merged, answered.provider, answered.model, answered.prompt_version)


def merge_answer(
    analysis: JobAnalysis, answer: AnalysisAnswer, provider: str, matcher: SkillMatcher
) -> JobAnalysis:
    result = analysis.model_copy(deep=True)
    notes = result.provider_notes
    if result.culture.tone == Tone.neutral and answer.tone != Tone.neutral:
        result.culture.tone = answer.tone
        notes.append(f"{provider}: tone {answer.tone.value}")
    for value in answer.values:
        clean = _clean(value, 40).lower()
        if clean and clean not in result.culture.values and len(result.culture.values) < MAX_VALUES:
            result.culture.values.append(clean)
            notes.append(f"{provider}: culture value {clean!r}")
    by_name = {skill.name.lower(): skill for skill in result.skills()}
    for hint in answer.importance:
        entry = normalise_skill(hint.name, matcher)
        skill = by_name.get(entry.name.lower()) if entry else None
        if skill is not None:
            _nudge(skill, hint, provider, notes)
    for implied in answer.implied_skills[:8]:
        entry = normalise_skill(implied.name, matcher)
        if entry is None or entry.name.lower() in by_name:
            continue
        requirement = SkillRequirement(
            name=entry.name, kind=entry.kind, category=entry.category,
            importance=IMPLIED_IMPORTANCE, required=False,
        )
        target = result.hard_skills if entry.kind == SkillKind.hard else result.soft_skills
        target.append(requirement)
        by_name[entry.name.lower()] = requirement
        notes.append(f"{provider}: implies {entry.name} ({_clean(implied.reason, 160)})")
    return result


def normalise_skill(name: str, matcher: SkillMatcher) -> SkillEntry | None:
    """The taxonomy entry a model's skill name means, or None when it names none (or many)."""
    entry = load_taxonomy().canonical(name)
    if entry is not None:
        return entry
    found = {skill.entry.name: skill.entry for skill in matcher.find(name)}
    return next(iter(found.values())) if len(found) == 1 else None


def _nudge(skill: SkillRequirement, hint: ImportanceHint, provider: str, notes: list[str]) -> None:
    wanted = hint.importance - skill.importance
    shift = max(-MAX_IMPORTANCE_SHIFT, min(MAX_IMPORTANCE_SHIFT, wanted))
    if abs(shift) < 0.01:
        return
    before = skill.importance
    skill.importance = round(min(1.0, max(0.0, before + shift)), 3)
    notes.append(
        f"{provider}: importance of {skill.name} {before:.2f} → {skill.importance:.2f}"
        f" ({_clean(hint.reason, 120)})"
    )


def _clean(text: str, limit: int) -> str:
    """Model text going into notes: one line, no control characters, bounded."""
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x1f\x7f]", " ", text)).strip()[:limit]
