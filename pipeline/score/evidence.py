"""Where a resume evidences one posting skill, and so which of the three states it is in.

Three kinds of evidence, strongest first (a path keeps only its strongest):
- named: the taxonomy's matcher found the skill's name or an alias there ("Postgres"), or a
  one-word name the taxonomy does not know (a product the posting's phrase tagger found:
  "LinkedIn", "6sense", "ABM") stands there as itself;
- word form: the skill's words stand there in another form ("Site Reliability Engineer" in a
  title for Site Reliability Engineering, "Mentored" for mentoring; see word_forms);
- related: a specific tool of an umbrella skill ("Grafana" for Monitoring; see related).

State: **shown** when a surfaced place names the skill with the posting's own wording or its
canonical name (what a keyword-matching ATS sees), **evidenced** when there is any evidence
at all, **absent** otherwise. Only absent skills are missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.models import Evidence, EvidenceBasis, SkillKind, SkillRequirement, SkillState
from pipeline.score.related import implied_by
from pipeline.score.resume_profile import Field, Hit, ResumeProfile
from pipeline.score.word_forms import FormPattern, Words
from pipeline.taxonomy.gazetteer import load_taxonomy
from pipeline.taxonomy.matcher import get_matcher

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
    wording = {" ".join(form.lower().split()) for form in req.surface_forms} | {req.name.lower()}
    evidence = [Evidence(path=h.field.path, text=h.skill.text, surfaced=h.field.surfaced)
                for h in hits]
    seen = {e.path for e in evidence}
    named = list(_name_hits(req, profile, seen))  # adds their paths to `seen`
    evidence += [Evidence(path=item.path, text=text, surfaced=item.surfaced)
                 for item, text in named]
    worded = []
    for item, text in _word_form_hits(req, profile, seen):
        evidence.append(Evidence(path=item.path, text=text, surfaced=item.surfaced,
                                 basis=EvidenceBasis.word_form))
        seen.add(item.path)
        worded.append((item, text))
    for hit in _related_hits(req.name, profile):
        if hit.field.path not in seen:
            evidence.append(Evidence(path=hit.field.path, text=hit.skill.text,
                                     surfaced=hit.field.surfaced, basis=EvidenceBasis.related))
            seen.add(hit.field.path)
    # A name the matcher does not know, or a phrase found by its words, counts as shown when
    # it stands in the posting's own wording ("account-based marketing" for ABM defined so).
    shown = (any(_counts(hit, wording) for hit in hits)
             or any(item.surfaced and " ".join(text.lower().split()) in wording
                    for item, text in (*named, *worded)))
    state = (SkillState.shown if shown else
             SkillState.evidenced if evidence else SkillState.absent)
    forms = [h.skill.text for h in hits] + [text for _, text in named]
    return evidence, list(dict.fromkeys(forms)), state


def _counts(hit: Hit, wording: set[str]) -> bool:
    """Whether a shown place names the skill as the posting does: in one of its forms, or as
    the words of one ("BLS" for the posting's "BLS certification")."""
    if not hit.field.surfaced:
        return False
    text = " ".join(hit.skill.text.lower().split())
    return text in wording or any(_within_words(text, form) for form in wording)


@lru_cache(maxsize=4096)
def _within_words(text: str, form: str) -> bool:
    return len(text) > 1 and re.search(rf"(?<![\w+#]){re.escape(text)}(?![\w+#])", form) is not None


def _name_hits(req: SkillRequirement, profile: ResumeProfile,
               seen: set[str]) -> Iterator[tuple[Field, str]]:
    """Fields where one of the skill's one-word names unknown to the taxonomy stands as
    itself, outside any skill the matcher found there; the first such place in each."""
    for stems, pattern in _names(req.name, tuple(req.surface_forms), req.kind == SkillKind.hard):
        for index in sorted(set.intersection(*(set(profile.stem_index.get(s, ())) for s in stems))):
            item, _ = profile.words[index]
            if item.path in seen:
                continue
            named = profile.named.get(item.path, [])
            found = next((m for m in pattern.finditer(item.text)
                          if not any(s < m.end() and m.start() < e for s, e in named)), None)
            if found is not None:
                seen.add(item.path)
                yield item, found.group(0)


_NAME = re.compile(r"[A-Za-z0-9][\w+#.&-]*[\w+#]|[A-Za-z]")


@lru_cache(maxsize=4096)
def _names(name: str, surface_forms: tuple[str, ...], hard: bool
           ) -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    """The skill's one-word names that neither the matcher nor a word form would find (a
    product the taxonomy does not list), each as the stems that index it and a pattern. A
    name with a capital or a digit inside ("LinkedIn", "6sense", "ABM") is matched in any
    case; a capitalized one ("Tableau", "Cornerstone") only capitalized or in capitals, so
    "the cornerstone of" is not the product; a lowercase one in any case."""
    if not hard:
        return ()
    found = []
    for form in dict.fromkeys((name, *surface_forms)):
        if not _NAME.fullmatch(form) or FormPattern.of(form.lower(), hard=True) is not None:
            continue
        if get_matcher().knows_word(form):
            continue  # the matcher knows it: its own hits are the evidence
        stems = Words.of(form).stems
        if not stems:
            continue
        edges = r"(?<![\w+#.-])", r"(?![\w+#]|[.-]\w)"
        if any(c.isupper() or c.isdigit() for c in form[1:]) or form.islower():
            pattern = re.compile(edges[0] + re.escape(form) + edges[1], re.IGNORECASE)
        else:
            pattern = re.compile(edges[0] + f"(?:{re.escape(form)}|{re.escape(form.upper())})"
                                 + edges[1])
        found.append((stems, pattern))
    return tuple(found)


def _word_form_hits(req: SkillRequirement, profile: ResumeProfile,
                    seen: set[str]) -> Iterator[tuple[Field, str]]:
    patterns = _patterns(req.name, tuple(req.surface_forms), req.kind == SkillKind.hard)
    for index in sorted({i for p in patterns for i in profile.stem_index.get(p.stems[0], ())}):
        item, words = profile.words[index]
        if item.path in seen:
            continue
        named = profile.named.get(item.path, [])
        span = next((span for pattern in patterns for span in pattern.spans(words)
                     if not any(_cuts(span, other) for other in named)), None)
        if span is not None:  # not a part of a skill the matcher found there: "A/B tests"
            yield item, item.text[span[0]:span[1]]  # stays A/B testing, not testing


def _cuts(span: tuple[int, int], named: tuple[int, int]) -> bool:
    """Whether `span` overlaps a found skill without holding all of it: "testing" in "A/B
    testing" does, and so does the found skill's own span; "account-based marketing" around
    the Marketing found in it does not."""
    return named[0] < span[1] and span[0] < named[1] and not (
        span[0] <= named[0] and named[1] <= span[1] and span != named)


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
