"""Where a resume evidences one posting skill, and so which of the three states it is in.

Three kinds of evidence, strongest first (a path keeps only its strongest):
- named: the taxonomy's matcher found the skill's name or an alias there ("Postgres");
- word form: the skill's words stand there in another form ("Site Reliability Engineer" in a
  title for Site Reliability Engineering, "Mentored" for mentoring; see word_forms);
- related: a specific tool of an umbrella skill ("Grafana" for Monitoring; see related).

State: **shown** when a surfaced place names the skill with the posting's own wording or its
canonical name (what a keyword-matching ATS sees), **evidenced** when there is any evidence
at all, **absent** otherwise. Only absent skills are missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pipeline.models import Evidence, EvidenceBasis, SkillKind, SkillRequirement, SkillState
from pipeline.score.related import implied_by
from pipeline.score.resume_profile import Field, Hit, ResumeProfile
from pipeline.score.word_forms import FormPattern
from pipeline.taxonomy.gazetteer import load_taxonomy

_MAX_ALIAS_WORDS = 4  # longer aliases are ESCO descriptions, not ways of naming a skill
_MAX_KEPT = 20_000  # answers a profile keeps (see skill_evidence)


def skill_evidence(req: SkillRequirement, profile: ResumeProfile
                   ) -> tuple[list[Evidence], list[str], SkillState]:
    """The evidence for `req` in the resume, the resume's own names for it, and its state.
    It depends on the skill's name, kind and the posting's forms of it alone: the profile keeps
    each answer for the next posting that asks the same."""
    key = (req.name, tuple(req.surface_forms), req.kind == SkillKind.hard)
    known = profile.evidence.get(key)
    if known is None:
        if len(profile.evidence) >= _MAX_KEPT:
            profile.evidence.clear()  # a ranking's memory stays flat however long its stream
        known = profile.evidence[key] = _skill_evidence(req, profile)
    evidence, forms, state = known
    return list(evidence), list(forms), state  # lists of their own: callers may add to them


def _skill_evidence(req: SkillRequirement, profile: ResumeProfile
                    ) -> tuple[list[Evidence], list[str], SkillState]:
    hits = profile.hits.get(req.name, [])
    wording = {form.lower() for form in req.surface_forms} | {req.name.lower()}
    evidence = [Evidence(path=h.field.path, text=h.skill.text, surfaced=h.field.surfaced)
                for h in hits]
    seen = {e.path for e in evidence}
    for item, text in _word_form_hits(req, profile, seen):
        evidence.append(Evidence(path=item.path, text=text, surfaced=item.surfaced,
                                 basis=EvidenceBasis.word_form))
        seen.add(item.path)
    for hit in _related_hits(req.name, profile):
        if hit.field.path not in seen:
            evidence.append(Evidence(path=hit.field.path, text=hit.skill.text,
                                     surfaced=hit.field.surfaced, basis=EvidenceBasis.related))
            seen.add(hit.field.path)
    shown = any(_counts(hit, wording) for hit in hits)
    state = (SkillState.shown if shown else
             SkillState.evidenced if evidence else SkillState.absent)
    return evidence, list(dict.fromkeys(h.skill.text for h in hits)), state


def _counts(hit: Hit, wording: set[str]) -> bool:
    return hit.field.surfaced and hit.skill.text.lower() in wording


def _word_form_hits(req: SkillRequirement, profile: ResumeProfile,
                    seen: set[str]) -> Iterator[tuple[Field, str]]:
    patterns = _patterns(req.name, tuple(req.surface_forms), req.kind == SkillKind.hard)
    for index in sorted({i for p in patterns for i in profile.stem_index.get(p.stems[0], ())}):
        item, words = profile.words[index]
        if item.path in seen:
            continue
        named = profile.named.get(item.path, [])
        span = next((span for pattern in patterns for span in pattern.spans(words)
                     if not any(s < span[1] and span[0] < e for s, e in named)), None)
        if span is not None:  # outside any skill the matcher found there: "A/B tests"
            yield item, item.text[span[0]:span[1]]  # stays A/B testing, not testing


@lru_cache(maxsize=4096)
def _patterns(name: str, surface_forms: tuple[str, ...], hard: bool) -> tuple[FormPattern, ...]:
    """The forms a skill goes by (its name, the posting's forms, the taxonomy's short
    aliases) as patterns; cached, since a ranking scores the same skills many times."""
    entry = load_taxonomy().canonical(name)
    aliases = entry.aliases if entry is not None and entry.name == name else ()
    forms = [name, *surface_forms,
             *(a for a in aliases if len(a.split()) <= _MAX_ALIAS_WORDS)]
    patterns = (FormPattern.of(form, hard=hard) for form in dict.fromkeys(f.lower() for f in forms))
    return tuple(dict.fromkeys(p for p in patterns if p is not None))


def _related_hits(name: str, profile: ResumeProfile) -> Iterator[Hit]:
    for specific in implied_by(name):
        yield from profile.hits.get(specific, ())
