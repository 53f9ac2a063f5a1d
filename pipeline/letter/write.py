"""Writing the letter: facts → the local paragraphs → (an AI provider's wording, guarded).

Every sentence, the local ones included, passes the letter guard. A rejected model sentence
is replaced by the local sentence at the same place (the same paragraph, the same position),
or left out when the local paragraph is shorter; each rejection is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from pipeline.jsonresume import Resume
from pipeline.letter.facts import LetterFacts, letter_facts
from pipeline.letter.guard import LetterGuard
from pipeline.letter.local import local_paragraphs, sentences
from pipeline.models import GuardRejection, JobAnalysis, MatchReport, Usage


class LetterWriter(Protocol):
    """An AI provider's letter writer (pipeline.letter.ai.AILetterWriter)."""

    @property
    def name(self) -> str: ...

    def write(self, facts: LetterFacts, draft: list[list[str]], posting: str) -> list[str]: ...

    def usage(self) -> list[Usage]: ...


@dataclass
class CoverLetter:
    facts: LetterFacts
    date: str  # "December 4, 2026"
    salutation: str
    paragraphs: list[str]
    closing: str
    provider: str = "local"
    rejections: list[GuardRejection] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)

    @property
    def sentences(self) -> int:
        return sum(len(sentences(p)) for p in self.paragraphs)


def letter_date(today: date) -> str:
    return f"{today:%B} {today.day}, {today.year}"


def write_letter(resume: Resume, analysis: JobAnalysis, report: MatchReport, *,
                 writer: LetterWriter | None = None, today: date | None = None) -> CoverLetter:
    today = today or date.today()
    facts = letter_facts(resume, analysis, report, today=today)
    guard = LetterGuard(resume, facts, analysis.text)
    rejections: list[GuardRejection] = []
    local: list[list[str]] = []
    for p, paragraph in enumerate(local_paragraphs(facts)):
        kept = []
        for s, sentence in enumerate(paragraph):
            final, rejection = guard.review(sentence, fallback=None,
                                            output_path=f"letter.paragraphs[{p}][{s}]",
                                            provider="local")
            if rejection is not None:
                rejections.append(rejection)
            if final:
                kept.append(final)
        local.append(kept)
    paragraphs, provider = local, "local"
    if writer is not None:
        proposed = writer.write(facts, local, analysis.text)
        if proposed:
            paragraphs, provider = _guarded(proposed, local, guard, writer.name, rejections)
    company = f"{facts.company} hiring team" if facts.company else "hiring team"
    return CoverLetter(
        facts=facts, date=letter_date(today), salutation=f"Dear {company},",
        paragraphs=[" ".join(p) for p in paragraphs if p], closing="Sincerely,",
        provider=provider, rejections=rejections,
        usage=writer.usage() if writer is not None else [])


def _guarded(proposed: list[str], local: list[list[str]], guard: LetterGuard, provider: str,
             rejections: list[GuardRejection]) -> tuple[list[list[str]], str]:
    out: list[list[str]] = []
    accepted = 0
    for p, paragraph in enumerate(proposed):
        fallback = local[p] if p < len(local) else []
        kept = []
        for s, sentence in enumerate(sentences(paragraph)):
            final, rejection = guard.review(
                sentence, fallback=fallback[s] if s < len(fallback) else None,
                output_path=f"letter.paragraphs[{p}][{s}]", provider=provider)
            if rejection is not None:
                rejections.append(rejection)
            else:
                accepted += 1
            if final and final not in kept:
                kept.append(final)
        out.append(kept)
    return out, provider if accepted else "local"
