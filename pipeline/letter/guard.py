"""The letter's truthfulness guard: the resume guard (pipeline.rewrite.guard), sentence by sentence,
with the letter's two sources kept apart.

- The candidate's claims may use only the master resume: every skill must be one the resume
  shows, and every number, date, employer, title and name must be in it.
- The employer may be named as the posting names it (company, role), and a sentence about the
  employer ("your team", the company's name) may use what the posting says and nothing more:
  its numbers and names, and no praise the posting does not give itself.
"""

from __future__ import annotations

import re

from pipeline.compile.fonts import iter_strings
from pipeline.jsonresume import Resume
from pipeline.letter.facts import LetterFacts
from pipeline.models import GuardRejection
from pipeline.rewrite.guard import Guard

_ABOUT_EMPLOYER = re.compile(r"(?i)\b(you|your|yours|the company|the team|the employer)\b")
_PRAISE = re.compile(
    r"(?i)\b(leading|leader|leaders|best|largest|biggest|fastest|top|renowned|award[- ]winning|"
    r"world[- ]class|famous|premier|innovative|cutting[- ]edge|industry[- ]leading|pioneer\w*|"
    r"unicorn|prestigious|iconic|market[- ]leading|#1|number one)\b")


class LetterGuard:
    def __init__(self, resume: Resume, facts: LetterFacts, posting_text: str, *,
                 guard: Guard | None = None) -> None:
        self.guard = guard or Guard(resume)
        self.facts = facts
        self.posting = posting_text
        resume_lines = [text for _, text in iter_strings(resume)]
        # "I" stands mid-sentence in a letter; the resume guard would take it for a name.
        self.resume_sources = [*resume_lines, *facts.resume_lines(), "I"]
        skills: set[str] = set()
        for line in [*self.resume_sources, "\n".join(resume_lines)]:
            skills |= self.guard.skill_names(line)
        self.resume_skills = frozenset(skills)
        names = [n for n in (facts.role, facts.company) if n]
        self._names = [re.compile(rf"(?i)(?<!\w){re.escape(n)}(?!\w)")
                       for n in sorted(names, key=len, reverse=True)]
        first = facts.company.split()[0] if facts.company else ""
        self._company_word = (re.compile(rf"(?<!\w){re.escape(first)}(?!\w)")
                              if len(first) >= 3 else None)

    def _about_employer(self, sentence: str) -> bool:
        return bool(_ABOUT_EMPLOYER.search(sentence)
                    or (self._company_word and self._company_word.search(sentence)))

    def problem(self, sentence: str) -> str | None:
        """Why `sentence` states something its sources lack, or None."""
        neutral = sentence
        for pattern in self._names:  # naming the role or the company claims nothing
            neutral = pattern.sub("the position", neutral)
        added = sorted(self.guard.skill_names(neutral) - self.resume_skills)
        if added:
            return f"adds skill {added[0]!r} the resume does not show"
        about = self._about_employer(sentence)
        sources = [*self.resume_sources, *self.facts.posting_lines()]
        if about:
            sources.append(self.posting)
        reason = self.guard.problem(neutral, sources)
        if reason is None and about:
            for word in _PRAISE.findall(neutral):
                if not re.search(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", self.posting):
                    return f"claim {word!r} about the employer not in the posting"
        return reason

    def review(self, sentence: str, *, fallback: str | None, output_path: str,
               provider: str) -> tuple[str | None, GuardRejection | None]:
        """(the sentence to use, the rejection when it was replaced by `fallback`)."""
        reason = self.problem(sentence) if sentence.strip() else "empty sentence"
        if reason is None:
            return sentence.strip(), None
        rejection = GuardRejection(output_path=output_path, source_paths=[],
                                   proposed=sentence, reason=reason, provider=provider)
        return fallback, rejection
