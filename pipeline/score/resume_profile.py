"""What a resume evidences, computed once per resume: the skills each field names (with its
JSON path and whether a reader sees it there), its titles, years of experience and degree.

The score stage reads a ResumeProfile; ranking many postings against one resume builds it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pipeline.jsonresume import Resume
from pipeline.models import EducationLevel, Evidence, SkillState
from pipeline.score.word_forms import Words
from pipeline.taxonomy.matcher import FoundSkill, get_matcher

_DEGREES: tuple[tuple[EducationLevel, str], ...] = (
    (EducationLevel.doctorate, r"\bph\.?\s?d\b|\bdoctor|\bd\.?phil\b|\bed\.?d\b"),
    (EducationLevel.master, r"\bmaster|\bm\.?sc?\b|\bm\.?s\.|\bm\.?a\.?\b|\bmba\b|\bm\.?eng\b"
                            r"|\bmphil\b|\bmres\b"),
    (EducationLevel.bachelor, r"\bbachelor|\bb\.?sc?\b|\bb\.?s\.|\bb\.?a\.?\b|\bb\.?eng\b|\bbba\b"
                              r"|\bundergraduate|\bbtech\b|\bb\.?tech\b|\blicen[cs]e\b"),
    (EducationLevel.associate, r"\bassociate|\ba\.?a\.?s?\b|\bfoundation degree"),
    (EducationLevel.high_school, r"\bhigh school|\bged\b|\bsecondary|\bdiploma\b|\ba[- ]levels?\b"),
)


@dataclass(frozen=True, slots=True)
class Field:
    path: str  # "work[1].highlights[3]"
    text: str
    surfaced: bool  # a place a reader and an ATS see: skills, highlights, summaries, titles
    item: bool = False  # one entry of a list of skills: a keyword, a language, a certificate


@dataclass(frozen=True, slots=True)
class Hit:
    field: Field
    skill: FoundSkill


@dataclass
class ResumeProfile:
    hits: dict[str, list[Hit]] = field(default_factory=dict)  # canonical name → evidence
    titles: list[str] = field(default_factory=list)  # basics.label, then positions, newest first
    years: float | None = None
    education: EducationLevel | None = None
    education_areas: list[str] = field(default_factory=list)
    # every field as word stems, for skills named in another form of their words
    words: list[tuple[Field, Words]] = field(default_factory=list)
    stem_index: dict[str, list[int]] = field(default_factory=dict)  # stem → indices in words
    named: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # path → skill spans
    # what score.evidence found for a skill as a posting words it, kept for the next posting
    # that asks the same (a ranking asks for Python hundreds of times)
    evidence: dict[tuple[str, tuple[str, ...], bool],
                   tuple[list[Evidence], list[str], SkillState]] = field(
        default_factory=dict, repr=False, compare=False)

    def add_words(self, item: Field) -> None:
        self.evidence.clear()
        words = Words.of(item.text)
        index = len(self.words)
        self.words.append((item, words))
        for stem in dict.fromkeys(words.stems):
            self.stem_index.setdefault(stem, []).append(index)


def resume_fields(resume: Resume) -> Iterator[Field]:
    """Every text field that can evidence a skill. Surfaced: what a one-page resume shows
    (skills, highlights, summary, titles); not surfaced: descriptions, courses, interests."""
    basics = resume.basics
    yield from _one("basics.label", basics.label, surfaced=True)
    yield from _one("basics.summary", basics.summary, surfaced=True)
    for i, work in enumerate(resume.work):
        yield from _one(f"work[{i}].position", work.position, surfaced=True)
        yield from _one(f"work[{i}].summary", work.summary, surfaced=False)
        yield from _one(f"work[{i}].description", work.description, surfaced=False)
        yield from _many(f"work[{i}].highlights", work.highlights, surfaced=True)
    for i, skill in enumerate(resume.skills):
        yield from _one(f"skills[{i}].name", skill.name, surfaced=True, item=True)
        yield from _many(f"skills[{i}].keywords", skill.keywords, surfaced=True, item=True)
    for i, project in enumerate(resume.projects):
        yield from _one(f"projects[{i}].name", project.name, surfaced=True)
        yield from _one(f"projects[{i}].description", project.description, surfaced=False)
        yield from _many(f"projects[{i}].highlights", project.highlights, surfaced=True)
        yield from _many(f"projects[{i}].keywords", project.keywords, surfaced=True, item=True)
    for i, edu in enumerate(resume.education):
        yield from _one(f"education[{i}].area", edu.area, surfaced=True)
        yield from _one(f"education[{i}].studyType", edu.studyType, surfaced=True)
        yield from _many(f"education[{i}].courses", edu.courses, surfaced=False, item=True)
    for i, cert in enumerate(resume.certificates):
        yield from _one(f"certificates[{i}].name", cert.name, surfaced=True, item=True)
    for i, vol in enumerate(resume.volunteer):
        yield from _one(f"volunteer[{i}].summary", vol.summary, surfaced=False)
        yield from _many(f"volunteer[{i}].highlights", vol.highlights, surfaced=True)
    for i, lang in enumerate(resume.languages):
        yield from _one(f"languages[{i}].language", lang.language, surfaced=True, item=True)
    for i, award in enumerate(resume.awards):
        yield from _one(f"awards[{i}].summary", award.summary, surfaced=False)
    for i, pub in enumerate(resume.publications):
        yield from _one(f"publications[{i}].summary", pub.summary, surfaced=False)
    for i, interest in enumerate(resume.interests):
        yield from _many(f"interests[{i}].keywords", interest.keywords, surfaced=False)


def _one(path: str, text: str | None, *, surfaced: bool, item: bool = False) -> Iterator[Field]:
    if text and text.strip():
        yield Field(path, text, surfaced, item)


def _many(path: str, texts: list[str], *, surfaced: bool, item: bool = False) -> Iterator[Field]:
    for j, text in enumerate(texts):
        yield from _one(f"{path}[{j}]", text, surfaced=surfaced, item=item)


# Seniority and filler in a title: "Senior Backend Engineer (m/f/d)".
_NOISE_WORDS = ("senior sr sr. junior jr jr. lead staff principal mid level i ii iii iv intern the "
                "a an of and & for - – / remote hybrid m/f/d (m/f/d) f/m/d full time part")
_TITLE_NOISE = frozenset(_NOISE_WORDS.split())


def title_words(title: str) -> set[str]:
    """A job title's words less seniority and filler: "Senior Backend Engineer (m/f/d)" →
    {"backend", "engineer"}."""
    words = re.findall(r"[a-z0-9+#.]+", title.lower())
    return {w.strip(".") for w in words if w not in _TITLE_NOISE and w.strip(".")}


def build_profile(resume: Resume, *, today: date | None = None) -> ResumeProfile:
    matcher = get_matcher()
    profile = ResumeProfile()
    for item in resume_fields(resume):
        profile.add_words(item)
        find = matcher.find_item if item.item else matcher.find
        for found in find(item.text):
            profile.hits.setdefault(found.entry.name, []).append(Hit(item, found))
            profile.named.setdefault(item.path, []).append((found.start, found.end))
    ordered = sorted(resume.work, key=lambda w: w.startDate or "", reverse=True)
    titles = [resume.basics.label, *(w.position for w in ordered)]
    profile.titles = [t for t in titles if t]
    profile.years = years_of_experience(resume, today=today or date.today())
    levels = [degree_level(e.studyType) for e in resume.education if e.studyType]
    known = [lvl for lvl in levels if lvl is not None]
    profile.education = max(known, key=list(EducationLevel).index) if known else None
    profile.education_areas = [e.area for e in resume.education if e.area]
    return profile


def degree_level(study_type: str) -> EducationLevel | None:
    """"BSc", "Bachelor of Science", "M.S.", "PhD" → the level it names."""
    for level, pattern in _DEGREES:
        if re.search(pattern, study_type, re.IGNORECASE):
            return level
    return None


def to_date(value: str, *, end: bool) -> date:
    """A partial ISO date; an end date covers the whole month or year it names."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3 or not end:
        year, month, day = [*parts, 1, 1][:3]
        return date(year, month, day)
    if len(parts) == 1:
        return date(parts[0] + 1, 1, 1)
    year, month = parts
    return date(year + (month == 12), month % 12 + 1, 1)


# Titles of jobs people hold while studying: within an education entry's dates, such a job
# is no professional experience ("Student Teller" 2015-2017 beside a 2013-2017 degree, a
# "Marketing Assistant (part-time)" held while studying).
_STUDENT_JOB = re.compile(
    r"\b(student|intern|internship|trainee|apprentice|werkstudent|co-?op|"
    r"teaching assistant|research assistant|summer|part[- ]time)\b", re.IGNORECASE)


def years_of_experience(resume: Resume, *, today: date) -> float | None:
    """Total years covered by work entries, overlapping jobs counted once; a missing end date
    means the job is current. A student's job held within an education entry's dates does not
    count. None when no entry has a start date."""
    studies = [(to_date(e.startDate, end=False), to_date(e.endDate, end=True))
               for e in resume.education if e.startDate and e.endDate]
    spans = []
    for work in resume.work:
        if not work.startDate:
            continue
        start = to_date(work.startDate, end=False)
        stop = min(to_date(work.endDate, end=True), today) if work.endDate else today
        if studies and _STUDENT_JOB.search(work.position or "") and any(
                begin <= start and stop <= finish for begin, finish in studies):
            continue
        if stop > start:
            spans.append((start, stop))
    if not spans:
        return None
    spans.sort()
    total, (cur_start, cur_stop) = 0, spans[0]
    for start, stop in spans[1:]:
        if start <= cur_stop:
            cur_stop = max(cur_stop, stop)
        else:
            total += (cur_stop - cur_start).days
            cur_start, cur_stop = start, stop
    total += (cur_stop - cur_start).days
    return round(total / 365.25, 1)
