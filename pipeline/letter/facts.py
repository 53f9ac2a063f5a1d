"""Everything a cover letter may state, computed from the resume and the posting.

The candidate's facts come from the resume only (its title, employer, years from its dates,
the lines that evidence the posting's skills); the employer's from the posting only (its
name, the role, the values it states, the years it asks for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pipeline.jsonresume import Resume
from pipeline.letter.posting import company_name, role_title
from pipeline.models import JobAnalysis, MatchReport, SkillKind, SkillMatch, Tone
from pipeline.rewrite.relevance import is_role_or_field
from pipeline.score.resume_facts import (
    chronological,
    evidenced_jobs,
    highest_degree,
    line_of_work_years,
)

MAX_MATCHES = 3
_WORK_LINE = re.compile(r"^work\[(\d+)\]\.highlights\[\d+\]$")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Match:
    """A skill the posting asks for, with the resume line that shows it."""

    skill: str  # as the resume words it
    evidence: str  # the whole resume line
    employer: str | None  # where the candidate did it
    path: str


@dataclass(frozen=True)
class LetterFacts:
    name: str
    title: str | None  # most recent job title
    employer: str | None  # most recent employer
    years: int | None  # whole years of experience, from the work dates
    matches: tuple[Match, ...]  # the strongest two or three, most important first
    more_skills: tuple[str, ...]  # further matched hard skills, as the resume words them
    soft_skills: tuple[str, ...]  # matched soft skills the resume evidences
    education: str | None  # highest degree, when the posting asks for one
    company: str | None  # as the posting names it
    role: str | None
    min_years: int | None  # what the posting asks for
    tone: Tone

    def resume_lines(self) -> list[str]:
        """The candidate's facts as lines, for the guard and for a model's prompt."""
        lines = [self.title, self.employer, self.education, *self.more_skills,
                 *self.soft_skills]
        for match in self.matches:
            lines += [match.skill, match.evidence, match.employer]
        if self.years is not None:
            lines.append(f"{self.years} years of experience")
        return [line for line in lines if line]

    def posting_lines(self) -> list[str]:
        lines = [self.company, self.role]
        if self.min_years is not None:
            lines.append(f"{self.min_years} years of experience asked for")
        return [line for line in lines if line]


def value_at(data: Any, path: str) -> Any:
    """The value at a JSON path such as "work[1].highlights[3]"; None when absent."""
    for key, index in _PATH_PART.findall(path):
        try:
            data = data[int(index)] if index else data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _match(skill: SkillMatch, resume: Resume, data: dict[str, Any],
           used: set[str]) -> Match | None:
    """The skill with its first work line not already quoted for another skill."""
    for evidence in skill.evidence:
        found = _WORK_LINE.match(evidence.path)
        line = value_at(data, evidence.path)
        if found and isinstance(line, str) and evidence.path not in used:
            used.add(evidence.path)
            form = skill.resume_forms[0] if skill.resume_forms else skill.name
            return Match(form, line.strip(), resume.work[int(found.group(1))].name,
                         evidence.path)
    return None


def letter_facts(resume: Resume, analysis: JobAnalysis, report: MatchReport,
                 *, today: date) -> LetterFacts:
    data = resume.to_json_dict()
    order = chronological(resume.work)
    recent = resume.work[order[0]] if order else None
    hard = [s for s in report.matched if s.kind == SkillKind.hard and not is_role_or_field(s)]
    used: set[str] = set()
    matches: list[Match] = []
    rest: list[str] = []
    for skill in hard:
        found = _match(skill, resume, data, used) if len(matches) < MAX_MATCHES else None
        if found is not None:
            matches.append(found)
        elif skill.resume_forms:
            rest.append(skill.resume_forms[0])
    soft = [s.name.lower() for s in report.matched if s.kind == SkillKind.soft][:2]
    title = recent.position if recent and recent.position else resume.basics.label
    return LetterFacts(
        name=resume.basics.name or "",
        title=title,
        employer=recent.name if recent else None,
        years=line_of_work_years(resume, title, evidenced_jobs(hard), today=today),
        matches=tuple(matches),
        more_skills=tuple(dict.fromkeys(rest))[:3],
        soft_skills=tuple(soft),
        education=highest_degree(resume) if analysis.education else None,
        company=company_name(analysis),
        role=role_title(analysis),
        min_years=int(analysis.min_years) if analysis.min_years else None,
        tone=analysis.culture.tone,
    )
