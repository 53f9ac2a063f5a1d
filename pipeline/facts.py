"""Facts computed from a resume's own data: job order by date, years of experience, the
highest degree. The summary is written from these and nothing else."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.jsonresume import Resume, Work


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
    """Whole years worked, overlapping jobs counted once; None when no job has a start date."""
    spans: list[tuple[date, date]] = []
    for job in resume.work:
        start = parse_partial_date(job.startDate)
        if start is None:
            continue
        end = parse_partial_date(job.endDate, end=True) or today
        if end > start:
            spans.append((start, min(end, today)))
    if not spans:
        return None
    spans.sort()
    total_days = 0
    cur_start, cur_end = spans[0]
    for start, end in spans[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
        else:
            total_days += (cur_end - cur_start).days
            cur_start, cur_end = start, end
    total_days += (cur_end - cur_start).days
    return int(total_days / 365.25)


_DEGREE_RANK = (
    ("phd", 5), ("doctor", 5), ("master", 4), ("msc", 4), ("m.s", 4), ("mba", 4), ("ma ", 4),
    ("bachelor", 3), ("bsc", 3), ("b.s", 3), ("ba ", 3), ("beng", 3), ("bsn", 3), ("associate", 2),
    ("diploma", 1), ("certificate", 1),
)


def highest_degree(resume: Resume) -> str | None:
    """"Bachelor in Computer Science": the highest degree as the resume words it."""
    best: tuple[int, str] | None = None
    for education in resume.education:
        study = (education.studyType or "").strip()
        if not study:
            continue
        lowered = study.lower() + " "
        rank = max((r for key, r in _DEGREE_RANK if key in lowered), default=0)
        text = f"{study} in {education.area}" if education.area else study
        if best is None or rank > best[0]:
            best = (rank, text)
    return best[1] if best else None
