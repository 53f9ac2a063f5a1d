"""Facts computed from a resume's own data: job order by date, years of experience, the
highest degree. The summary is written from these and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from pipeline.jsonresume import Resume, Work
from pipeline.models import EducationLevel, EvidenceBasis, SkillMatch
from pipeline.score.resume_profile import degree_level, title_words, years_of_experience
from pipeline.score.word_forms import stem


def parse_partial_date(value: str | None, *, end: bool = False) -> date | None:
    """JSON Resume's partial ISO dates: "2021", "2021-03", "2021-03-15". With `end`, a partial
    date means its last day (a job that ended "2014-05" ran through May)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if end and len(parts) < 3:
        year, month = parts[0], parts[1] if len(parts) == 2 else 12
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return following - timedelta(days=1)
    year, month, day = (parts + [1, 1])[:3]
    try:
        return date(year, month, day)
    except ValueError:  # "2021-02-30": the schema's pattern lets it through
        try:
            return date(year, month, 1)
        except ValueError:
            return None


def chronological(work: list[Work]) -> list[int]:
    """Indices of `work`, most recent first: current jobs (no end date) first, then by end
    date, then by start date; jobs without dates keep their place relative to each other."""
    def key(index: int) -> tuple[int, timedelta, timedelta]:
        job = work[index]
        end = parse_partial_date(job.endDate)
        start = parse_partial_date(job.startDate) or date.min
        current = job.endDate is None and job.startDate is not None
        return (0 if current else 1, date.max - (end or start), date.max - start)

    return sorted(range(len(work)), key=key)


def experience_years(resume: Resume, *, today: date) -> int | None:
    """Whole years worked, overlapping jobs counted once (the score stage's own count, so the
    summary never claims more than the match report); None when no job has a start date."""
    years = years_of_experience(resume, today=today)
    return None if years is None else int(years)


_WORK_PATH = re.compile(r"work\[(\d+)\]\.")


def evidenced_jobs(skills: Iterable[SkillMatch]) -> set[int]:
    """Indices into the resume's work of the jobs whose lines evidence any of `skills` by
    name or words (not by a related tool)."""
    return {int(m.group(1)) for skill in skills for e in skill.evidence
            if e.basis != EvidenceBasis.related and (m := _WORK_PATH.match(e.path))}


# Role nouns that many lines of work share: a "Marketing Manager" and a "Sales Manager".
_SHARED_ROLES = frozenset({"manager", "specialist", "assistant", "associate", "coordinator",
                           "director", "officer", "consultant", "representative", "head",
                           "executive", "supervisor", "technician", "analyst", "worker"})


def line_of_work_years(resume: Resume, title: str | None, relevant: set[int], *,
                       today: date) -> int | None:
    """Whole years in the line of work of `title` (the latest job's, as "Registered Nurse
    with 4 years of experience" says): jobs whose title shares a word with it, or whose lines
    evidence what the posting asks (`relevant`: indices into `resume.work`). All years when
    no job is either; a pharmacy technician's years do not make a nurse's."""
    wanted = {stem(w) for w in title_words(title or "") if w not in _SHARED_ROLES}
    same = [job for i, job in enumerate(resume.work)
            if i in relevant or wanted & {stem(w) for w in title_words(job.position or "")}]
    if not same:
        return experience_years(resume, today=today)
    return experience_years(resume.model_copy(update={"work": same}), today=today)


_LEVELS = list(EducationLevel)  # declared lowest first


def highest_degree(resume: Resume) -> str | None:
    """"Bachelor in Computer Science": the highest degree as the resume words it."""
    best: tuple[int, str] | None = None
    for education in resume.education:
        study = (education.studyType or "").strip()
        if not study:
            continue
        level = degree_level(study)
        rank = _LEVELS.index(level) if level else 0
        text = f"{study} in {education.area}" if education.area else study
        if best is None or rank > best[0]:
            best = (rank, text)
    return best[1] if best else None
