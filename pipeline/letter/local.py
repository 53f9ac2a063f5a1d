"""The `local` letter: sentence templates filled from LetterFacts, nothing else.

Four paragraphs: why this role, the strongest matches with the resume lines that show them,
what else the candidate brings that the posting asks for, a close. Template words name no
skill and claim nothing about the employer (the guard checks them like any provider's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.letter.facts import LetterFacts, Match

# Past-tense verbs that do not end in -ed, common at the start of resume lines: such a line
# reads on after "I" ("At Acme, I built ..."); any other line is quoted after a colon.
_IRREGULAR = frozenset((
    "built", "led", "wrote", "ran", "cut", "drove", "grew", "made", "set", "won", "taught",
    "began", "took", "gave", "brought", "sold", "kept", "found", "held", "oversaw", "rebuilt",
    "rewrote", "spun", "stood", "shut", "broke", "put", "drew", "fed", "hit", "met", "split",
    "sped", "upheld", "undertook", "withdrew",
))


def series(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _years(count: int) -> str:
    return f"{count} year" if count == 1 else f"{count} years"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".;:,")
    return text + "."


def evidence_sentence(match: Match) -> str:
    line = match.evidence.strip()
    first = line.split(" ", 1)[0]
    where = f"At {match.employer}" if match.employer else "In my work"
    verb = first.lower()
    if first[:1].isupper() and first[1:].islower() and (verb.endswith("ed") or verb in _IRREGULAR):
        return _sentence(f"{where}, I {verb}{line[len(first):]}")
    return _sentence(f"{where}: {line}")


def _why(facts: LetterFacts) -> list[str]:
    role = f"the {facts.role} role" if facts.role else "this role"
    at = f" at {facts.company}" if facts.company else ""
    out = [f"I am writing to apply for {role}{at}."]
    if facts.title:
        lead = f"As a {facts.title}"
        if facts.years:
            lead += f" with {_years(facts.years)} of experience"
        if facts.employer:
            lead += f", most recently at {facts.employer}"
        skills = [m.skill for m in facts.matches[:2]]
        tail = (f", I have done the work this role centres on: {series(skills)}"
                if skills else ", I would like to bring that experience to your team")
        out.append(_sentence(lead + tail))
    return out


def _matches(facts: LetterFacts) -> list[str]:
    if not facts.matches:
        return []
    skills = series([m.skill for m in facts.matches])
    return [f"My strongest matches with the posting are {skills}.",
            *(evidence_sentence(m) for m in facts.matches)]


def _brings(facts: LetterFacts) -> list[str]:
    out = []
    if facts.min_years and facts.years and facts.years >= facts.min_years:
        out.append(f"The posting asks for {_years(facts.min_years)} of experience, "
                   f"and I bring {facts.years}.")
    if facts.education:
        out.append(f"I hold a {facts.education}.")
    if facts.more_skills:
        out.append(f"I also work with {series(facts.more_skills)}.")
    if facts.soft_skills:
        out.append(f"My resume shows {series(facts.soft_skills)}, which the posting asks for.")
    return out


def _close(facts: LetterFacts) -> list[str]:
    about = f" about the {facts.role} role" if facts.role else ""
    return ["Thank you for your time and consideration.",
            f"I would welcome the chance to talk{about}."]


def local_paragraphs(facts: LetterFacts) -> list[list[str]]:
    """The letter's paragraphs, each a list of sentences; empty ones left out."""
    paragraphs = [_why(facts), _matches(facts), _brings(facts), _close(facts)]
    return [p for p in paragraphs if p]


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def sentences(paragraph: str) -> list[str]:
    """A model's paragraph as sentences (a full stop, then a capital)."""
    return [s.strip() for s in _SPLIT.split(paragraph.strip()) if s.strip()]
