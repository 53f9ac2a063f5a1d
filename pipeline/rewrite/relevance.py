"""How relevant each resume line is to a posting, and which resume terms may take the
posting's wording. Used by the rewrite stage; pure functions over the stage models.

Relevance mixes three signals, each 0..1: the posting skills a line evidences weighted by
their importance, a preferred skill counting half (the MatchReport's evidence, word forms and
related tools included, plus the SkillMatcher run on the line), the posting's other content
words the line shares, and how recent the entry it belongs to is (by its dates).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from pipeline.models import (
    Evidence,
    EvidenceBasis,
    JobAnalysis,
    MatchReport,
    SkillMatch,
    SkillRequirement,
)
from pipeline.parse.duty_verbs import DUTY_VERBS

_WORD = re.compile(r"[a-z][a-z+#.-]{3,}")
_STOP_WORDS = (
    "about above after again also among and are been before being both but can could does "
    "doing during each else from have having here into just more most must need needs other "
    "over own same should some such than that their them then there these they this those "
    "through under until very want were what when where which while will with within would "
    "your you our ours we us work team role years year experience strong ability able using "
    "used use new"
)
_STOP = frozenset(_STOP_WORDS.split())
SKILL_WEIGHT, LEXICAL_WEIGHT, RECENCY_WEIGHT = 0.7, 0.15, 0.15
PREFERRED_SHARE = 0.5  # a nice-to-have skill weighs half its importance
SOFT_SHARE = 0.5  # so does a soft skill: a line shows it less surely than it shows a tool
RECENCY_HALF_LIFE_YEARS = 5.0


def content_words(text: str) -> set[str]:
    return {w.strip(".-") for w in _WORD.findall(text.lower())} - _STOP


# Paths the score stage has already run the SkillMatcher over: their evidence is complete,
# so a line there without evidence names no posting skill and needs no second look.
_SCANNED = re.compile(r"^((work|projects|volunteer)\[\d+\]\.highlights|"
                      r"(skills|projects)\[\d+\]\.keywords)\[\d+\]$")


@dataclass
class RelevanceModel:
    """Scores lines against one posting. Build once per tailoring; `score` is cheap."""

    find: Callable[[str], frozenset[str]]  # skill names in a text (the guard's cached matcher)
    importance: dict[str, float]  # posting skill name → importance
    required: set[str]  # posting skills that are required, not nice to have
    soft: set[str]  # posting skills that are soft skills
    evidence: dict[str, set[str]]  # resume path → posting skills the match report found there
    posting_words: set[str]
    _cache: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, analysis: JobAnalysis, report: MatchReport,
              find: Callable[[str], frozenset[str]]) -> RelevanceModel:
        importance = {s.name: s.importance for s in analysis.skills()}
        evidence: dict[str, set[str]] = {}
        for skill in report.skills:
            importance.setdefault(skill.name, skill.importance)
            for item in skill.evidence:
                evidence.setdefault(item.path, set()).add(skill.name)
        skill_words = {w for s in analysis.skills() for f in s.surface_forms
                       for w in content_words(f)}
        words = content_words(analysis.text) - skill_words  # skills count once, above
        required = {s.name for s in analysis.skills() if s.required}
        soft = {s.name for s in analysis.soft_skills}
        return cls(find, importance, required, soft, evidence, words)

    def skills_in(self, path: str, text: str) -> set[str]:
        """Posting skills this line evidences (`path` in the master resume, or "")."""
        known = self.evidence.get(path, set())
        if _SCANNED.match(path):
            return known
        found = self._cache.get(text)
        if found is None:
            found = {name for name in self.find(text) if name in self.importance}
            self._cache[text] = found
        return found | known

    def weight(self, skills: Iterable[str]) -> float:
        """Summed importance, a preferred skill counting `PREFERRED_SHARE`, a soft skill
        `SOFT_SHARE`."""
        return sum(self.importance.get(s, 0.0) * (1.0 if s in self.required else PREFERRED_SHARE)
                   * (SOFT_SHARE if s in self.soft else 1.0) for s in skills)

    def names_required(self, path: str, text: str) -> list[str]:
        """The required posting skills this line evidences, most important first."""
        return ordered_by_importance(self.skills_in(path, text) & self.required, self.importance)

    def why(self, path: str, text: str, when: str = "") -> str:
        """What a line is worth to this posting, in words: "AWS, Kubernetes (required), 2022"
        or "no required skill, 2012"."""
        named = self.names_required(path, text)
        skills = f"{', '.join(named[:3])} (required)" if named else "no required skill"
        return f"{skills}, {when}" if when else skills

    def score(self, path: str, text: str, *, recency: float = 1.0) -> float:
        skills = self.skills_in(path, text)
        weight = self.weight(skills)
        skill_part = 1.0 - math.exp(-1.5 * weight)  # saturates: 3 strong skills ≈ 1
        shared = len(content_words(text) & self.posting_words)
        lexical = min(1.0, shared / 5)
        value = SKILL_WEIGHT * skill_part + LEXICAL_WEIGHT * lexical + RECENCY_WEIGHT * recency
        return round(min(1.0, max(0.0, value)), 4)


def recency(index: int) -> float:
    """1 for the most recent job, halving every two jobs back (entries without dates)."""
    return 0.5 ** (index / 2)


def recency_since(end: date | None, today: date) -> float:
    """1 for what is current (or ended this year), halving every `RECENCY_HALF_LIFE_YEARS`
    since it ended: a job that ended twelve years ago weighs about a fifth."""
    if end is None:
        return 1.0
    years = max(0.0, (today - end).days / 365.25)
    return 0.5 ** (years / RECENCY_HALF_LIFE_YEARS)


# ---------------------------------------------------------------- terminology


# Taxonomy categories that name a market or industry ("B2B", "Fintech"): where the work was
# done, said in the summary's lead rather than listed among skills.
_AREAS = frozenset({"Domains"})


def is_area(requirement: SkillRequirement) -> bool:
    return requirement.category in _AREAS


def preferred_form(requirement: SkillRequirement) -> str:
    """The posting's name for a skill: its canonical name when the posting writes it so,
    else the first form the posting uses that is a name rather than a duty ("Monitor vital
    signs" is not written as a skill), else the canonical name."""
    forms = requirement.surface_forms
    for form in forms:
        if form.lower() == requirement.name.lower():
            return form
    named = [f for f in forms if f.split() and f.split()[0].lower() not in DUTY_VERBS]
    return named[0] if named else requirement.name


_ROLE_PATHS = re.compile(r"^(basics\.label|work\[\d+\]\.position|education\[\d+\]\.\w+)$")


def direct_evidence(skill: SkillMatch) -> list[Evidence]:
    """Evidence that says the skill itself (by a name or a form of its words), not through a
    related tool: only this may be written as the skill's name (Grafana is no licence to
    write "Monitoring")."""
    return [e for e in skill.evidence if e.basis != EvidenceBasis.related]


def evidenced(report: MatchReport) -> list[SkillMatch]:
    """Skills the resume says somewhere, matched word for word or not ("Postgres" evidences
    PostgreSQL even where the posting's exact wording is missing), most important first."""
    return [s for s in report.skills if direct_evidence(s)]


_EXPERIENCE_PATHS = re.compile(
    r"^((work|projects|volunteer)\[\d+\]\.highlights|projects\[\d+\]\.description"
    r"|basics\.summary)"
)


def shown_in_experience(skill: SkillMatch) -> bool:
    """Evidenced by what the person did or says they do (a job's or project's lines, their
    own summary), not only by a course or an employer's blurb ("Analytics SaaS for
    retailers"). The summary is rewritten, so what it evidenced must reappear elsewhere."""
    return any(_EXPERIENCE_PATHS.match(e.path) for e in direct_evidence(skill))


def is_role_or_field(skill: SkillMatch) -> bool:
    """A skill named in a job title, the label or a degree ("Backend", "Computer Science"):
    already prominent, and not a tool to list among skills."""
    return any(_ROLE_PATHS.match(e.path) for e in skill.evidence)


def terminology(analysis: JobAnalysis, report: MatchReport) -> dict[str, str]:
    """Resume wording → posting wording, for skills the resume already evidences.

    Only evidenced skills take part (a missing skill is never written in); a resume form that
    already is the canonical name or one of the posting's own forms is left alone, and so is
    a mere capitalisation difference ("backend" / "Backend").
    """
    required = {s.name: s for s in analysis.skills()}
    swaps: dict[str, str] = {}
    for skill in evidenced(report):
        requirement = required.get(skill.name)
        if requirement is None:
            continue
        target = preferred_form(requirement)
        for form in skill.resume_forms:
            if len(form) < 2 or form == target or form in requirement.surface_forms:
                continue
            if form.lower() == skill.name.lower() and form.lower() != target.lower():
                continue  # the resume already uses the canonical name
            if form.lower() == target.lower() and target in (target.lower(), target.capitalize()):
                continue  # plain capitalisation, not a product's spelling
            form_words, target_words = set(form.lower().split()), set(target.lower().split())
            if form.lower() != target.lower() and (form_words <= target_words
                                                   or target_words <= form_words):
                continue  # "REST" → "REST APIs" would garble "REST webhooks"
            if _plural_pair(form.lower(), target.lower()):
                continue  # "an API" → "an APIs": the grammar is the resume's
            swaps[form] = target
    return swaps


def _plural_pair(a: str, b: str) -> bool:
    return any(x + suffix == y for x, y in ((a, b), (b, a)) for suffix in ("s", "es"))


def align_terms(text: str, swaps: dict[str, str]) -> tuple[str, list[str]]:
    """Apply the swaps to one line; returns the line and "old → new" notes."""
    notes: list[str] = []
    for form in sorted(swaps, key=len, reverse=True):  # "Postgres DB" before "Postgres"
        target = swaps[form]
        pattern = re.compile(r"(?<![\w.+#-])" + re.escape(form) + r"(?![\w+#]|\.\w)")
        if not pattern.search(text) or _has_word(text, target):
            continue
        text = pattern.sub(target.replace("\\", "\\\\"), text)
        notes.append(f"{form} → {target}")
    return text, notes


def _has_word(text: str, phrase: str) -> bool:
    return re.search(r"(?<![\w.+#-])" + re.escape(phrase) + r"(?![\w+#])", text) is not None


def ordered_by_importance(names: Iterable[str], importance: dict[str, float]) -> list[str]:
    return sorted(names, key=lambda n: (-importance.get(n, 0.0), n.lower()))
