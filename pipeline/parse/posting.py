"""The parse stage: posting text → JobAnalysis.

Deterministic: sections from headings (pipeline.parse.sections), skills from the taxonomy
matcher (pipeline.taxonomy.matcher) and phrases no taxonomy lists from a learned tagger
(pipeline.parse.skill_tagger: "production planning"), less the hard-skill mentions outside the
sections that ask for skills which a learned filter judges the posting does not state as skills
(pipeline.parse.mention_filter: "a leading cloud company", "a Kafka conference each year"),
facts from formulaic phrases (pipeline.parse.posting_facts).
Importance of a skill:
    0.6 × its strongest section weight (required 1.0 … benefits 0.1)
  + 0.15 × frequency (saturating at 4 mentions)
  + 0.1 × how early it is first named
  + 0.15 if a line naming it uses emphasis ("must", "strong", "expert", "required").
A mention in a "nice to have" section, or on a line with a preferred cue ("is a plus"), counts
as preferred; a skill with no required mention is `required=False`.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import lru_cache

from pipeline.errors import InvalidInput
from pipeline.limits import MAX_POSTING_CHARS
from pipeline.models import (
    Culture,
    JobAnalysis,
    Mention,
    Section,
    SkillKind,
    SkillRequirement,
)
from pipeline.parse import (
    acronyms,
    alternatives,
    extraction_filters,
    mention_filter,
    posting_facts,
    skill_tagger,
)
from pipeline.parse.extraction import extract_skills
from pipeline.parse.mention_filter import PlacedMention
from pipeline.parse.sections import BULLET, PostingLine, classify_heading, split_lines
from pipeline.taxonomy.matcher import FoundSkill, get_matcher

SECTION_WEIGHT = {
    Section.title: 1.0,
    Section.requirements: 1.0,
    Section.responsibilities: 0.8,
    Section.other: 0.7,
    Section.preferred: 0.45,
    Section.about: 0.15,
    Section.benefits: 0.1,
}
_REQUIRED_SECTIONS = {Section.title, Section.requirements, Section.responsibilities, Section.other}
_TITLE_FIELD = re.compile(r"^\s*(?:job\s*)?(?:title|position|role)\s*:\s*(.+)$", re.I | re.M)
_COMPANY_FIELD = re.compile(r"^\s*company(?: name)?\s*:\s*(.+)$", re.I | re.M)
_MD = re.compile(r"^[\s#*_>]+|[\s*_]+$")
# A sentence that says what the company is ("Northwind Health is a digital health company",
# "We're a team of ...", "Founded in 2012, ...") rather than what the job asks; it may stand
# under a heading for the whole job ("About the job") with no "About us" of its own.
_COMPANY_SENTENCE = re.compile(
    r"^(?:(?:At\s+)?[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|of|&|and)){0,5}\s+(?:is|are|has been)"
    r"|(?i:we\s+are|we['’]re|our\s+(?:company|mission|organi[sz]ation)\s+is))"
    r"\s+(?i:a|an|the|one\s+of|proud)\b(?=.*\b(?i:company|companies|startup|firm|business"
    r"|organi[sz]ation|provider|platform|leader|agency|employer|non-?profit|institution"
    r"|manufacturer|retailer|brand|group|team|marketplace|consultancy|bank|insurer|hospital"
    r"|school|university|studio|corporation|enterprise|network|community|mission)\b)"
    r"|^(?i:founded\s+in)\b")
# ... and nothing of the role or what it asks.
_ABOUT_ROLE = re.compile(r"\b(?:hiring|looking\s+for|seeking|search\s+of|you|your|role|position"
                         r"|candidate|join\s+(?:us|our)|must|plus|required|preferred|bonus"
                         r"|advantage|nice\s+to\s+have|asset|experience)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\d\"“(])")


def preload() -> None:
    """Load what parsing reads from shipped data (the skill matcher, the mention filter, the
    phrase tagger), for a process about to fork workers: they inherit it instead of each
    loading it on its first posting."""
    get_matcher()
    mention_filter.load_model()
    skill_tagger.load_model()


def parse_posting(text: str) -> JobAnalysis:
    """What a posting (plain text or Markdown) asks for: title, company, seniority, hard and
    soft skills weighed by where and how they are named, years, education and tone.

    Raises InvalidInput (field "posting") when the text is empty, only whitespace, or longer
    than MAX_POSTING_CHARS.
    """
    if not text or not text.strip():
        raise InvalidInput("the posting is empty", field="posting")
    if len(text) > MAX_POSTING_CHARS:  # spaCy refuses texts over its nlp.max_length
        raise InvalidInput(f"longer than {MAX_POSTING_CHARS} characters", field="posting")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(text)
    title_line = find_title_line(text, lines)
    title = _MD.sub("", title_line.text).strip() if title_line else None
    field = _TITLE_FIELD.search(text)
    if field:
        title = field.group(1).strip()
    elif title is None:
        title = _title_in_prose(text)
    skills = _requirements(text, lines, skill_mentions(text, lines, title_line))
    required_text = "\n".join(
        ln.text for ln in lines if ln.section in _REQUIRED_SECTIONS
        and not posting_facts.PREFERRED_CUES.search(ln.text)
    )
    years = posting_facts.years_mentions(required_text) or posting_facts.years_mentions(text)
    return JobAnalysis(
        text=text,
        title=title,
        company=_company(text),
        seniority=posting_facts.seniority_of(title or "") or _seniority_field(text),
        hard_skills=[s for s in skills if s.kind == SkillKind.hard],
        soft_skills=[s for s in skills if s.kind == SkillKind.soft],
        min_years=max(years) if years else None,
        **_education(text, lines),
        culture=Culture(tone=posting_facts.tone_of(text),
                        values=posting_facts.culture_values(text)),
        sections=_section_counts(lines),
    )


# "We're hiring a Demand Generation Manager to ...": the title in the opening prose of a
# posting pasted without one (a job board's "About the job" first).
_HIRING = re.compile(r"\b(?:hiring|looking\s+for|seeking|searching\s+for|recruiting|in\s+search"
                     r"\s+of)\s+(?:an?|our(?:\s+(?:next|first))?|a\s+new)\s+", re.IGNORECASE)
_TITLE_WORD = re.compile(r"[A-Z][\w&+/.'’-]*|(?:of|and|&|for|-|/)(?=\s)")
_SPACES = re.compile(r" +")


def _title_in_prose(text: str) -> str | None:
    """The capitalized run after "hiring a"/"looking for an" in the posting's opening."""
    cue = _HIRING.search(text, 0, 800)
    if cue is None:
        return None
    words: list[str] = []
    at = cue.end()
    while len(words) < 8:
        word = _TITLE_WORD.match(text, at)
        if word is None:
            break
        raw = word.group(0)
        at = word.end()
        if re.fullmatch(r"(?:[A-Z]\.)+", raw):  # "U.S." is not a sentence's end
            words.append(raw)
        else:
            words.append(raw.rstrip(".,;:!?"))
            if raw[-1] in ".,;:!?":
                break  # the sentence or clause ends
        spaces = _SPACES.match(text, at)
        if spaces is None:
            break
        at = spaces.end()
    while words and not words[-1][:1].isupper():
        words.pop()  # a trailing "of", "and", "-"
    title = " ".join(words)
    if len(title) < 2 or re.fullmatch(r"(?:[A-Z]\.)+", title):
        return None  # "U.S. based ...": no title after all
    return title


def find_title_line(text: str, lines: list[PostingLine]) -> PostingLine | None:
    """The first line that is short enough to be a title rather than a sentence, and is not a
    section heading ("About us") or a field other than the title ("Company: ...")."""
    for line in lines[:3]:
        text = _MD.sub("", line.text).strip()
        if classify_heading(text) is not None or _COMPANY_FIELD.match(text):
            continue
        words = text.split()
        return line if 0 < len(words) <= 12 and not text.endswith(".") else None
    return None


def _line_of(lines: list[PostingLine], starts: list[int], offset: int) -> PostingLine:
    return lines[_line_index(starts, offset)]


def _line_index(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def skill_mentions(
    text: str, lines: list[PostingLine], title_line: PostingLine | None
) -> list[PlacedMention]:
    """Every skill the posting names, each hit with its line and section (the title line's
    own, and `preferred` for a line of a required section that says the skill is a plus:
    "Kubernetes is a plus"), before the mention filter. Its trainer reads the same."""
    found = extract_skills(text, (title_line.start, title_line.end) if title_line else None)
    tagged = extraction_filters.drop_departments(
        text, skill_tagger.find_phrases(text, lines, title_line, found))
    if tagged:
        found = sorted(found + tagged, key=lambda hit: hit.start)
    starts = [ln.start for ln in lines]
    preferred_cue: dict[int, list[tuple[int, int]] | None] = {}
    placed = []
    for hit in found:
        index = _line_index(starts, hit.start)
        line = lines[index]
        section = Section.title if line is title_line else line.section
        if line.start not in preferred_cue:
            preferred_cue[line.start] = _preferred_places(line)
        cue = preferred_cue[line.start]
        if section in _REQUIRED_SECTIONS and cue is not None and (not cue or any(
                start <= hit.start and hit.end <= end for start, end in cue)):
            section = Section.preferred
        elif section in _REQUIRED_SECTIONS and _in_company_sentence(line, hit.start):
            section = Section.about
        placed.append(PlacedMention(hit, section, index))
    return placed


_PARENS = re.compile(r"\([^()]*\)")
_CLAUSE = re.compile(r"[^;]+")


def _preferred_places(line: PostingLine) -> list[tuple[int, int]] | None:
    """Where a line says a skill is a plus: None nowhere, [] the whole line ("Kubernetes is
    a plus"), or the parentheses or ";" clauses holding every such cue ("relational databases
    (PostgreSQL preferred)": PostgreSQL is the preference, relational databases still asked)."""
    cues = list(posting_facts.PREFERRED_CUES.finditer(line.text))
    if not cues:
        return None
    parens = [(m.start(), m.end()) for m in _PARENS.finditer(line.text)]
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(line.text)]
    places = []
    for cue in cues:
        held = next((p for p in parens if p[0] < cue.start() and cue.end() < p[1]), None)
        if held is None and len(clauses) > 1:  # "Bachelor's required; Master's preferred"
            held = next(c for c in clauses if c[0] <= cue.start() and cue.end() <= c[1])
        if held is None:
            return []
        places.append(held)
    return [(line.start + s, line.start + e) for s, e in dict.fromkeys(places)]


def _in_company_sentence(line: PostingLine, offset: int) -> bool:
    """Whether the sentence around `offset` in a line of prose (not a list item, not a
    heading) says what the company is, and nothing of the role, with `offset` past its
    subject."""
    if line.heading:
        return False
    at = offset - line.start
    return any(start <= at < end for start, end in _company_parts(line.text))


@lru_cache(maxsize=4096)
def _company_parts(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of a line after the subject of each sentence that says what the company
    is ("Northwind Health is a| digital health company ..."): one pass per line, not per
    skill on it."""
    if BULLET.match(text):
        return ()
    parts = []
    start = 0
    for end in [*(m.start() for m in _SENTENCE_END.finditer(text)), len(text)]:
        sentence = text[start:end]
        lead = len(sentence) - len(sentence.lstrip(" \t#*_>"))
        found = _COMPANY_SENTENCE.search(sentence[lead:])
        # The skill must stand after "X is a": a sentence about the skill itself ("Kubernetes
        # is a core part of our platform") is not about the company.
        if found is not None and not _ABOUT_ROLE.search(sentence):
            parts.append((start + lead + found.end(), end))
        start = end
    return tuple(parts)


def _requirements(
    text: str, lines: list[PostingLine], placed: list[PlacedMention]
) -> list[SkillRequirement]:
    hard = [m for m in placed if m.hit.kind == SkillKind.hard]
    verdicts = iter(mention_filter.stated(text, lines, hard))  # in the order of `hard`
    groups: dict[str, list[tuple[FoundSkill, Section, PostingLine]]] = defaultdict(list)
    kept_hard: list[FoundSkill] = []
    for mention in placed:
        if mention.hit.kind == SkillKind.hard and not next(verdicts):
            continue
        if mention.hit.kind == SkillKind.hard:
            kept_hard.append(mention.hit)
        groups[mention.hit.entry.name].append(
            (mention.hit, mention.section, lines[mention.line_index]))
    offered = alternatives.alternatives_by_name(text, kept_hard)
    defined = acronyms.defined_forms(text)
    length = max(len(text), 1)
    result = []
    for hits in groups.values():
        entry = hits[0][0].entry
        weight = max(SECTION_WEIGHT[section] for _, section, _ in hits)
        frequency = min(len(hits), 4) / 4
        earliness = 1 - hits[0][0].start / length
        emphasis = any(_emphasis(line.text) for _, _, line in hits)
        importance = 0.6 * weight + 0.15 * frequency + 0.1 * earliness + 0.15 * emphasis
        result.append(SkillRequirement(
            name=entry.name,
            kind=entry.kind,
            category=entry.category,
            surface_forms=_with_defined(
                list(dict.fromkeys(hit.text for hit, _, _ in hits)), entry.name, defined),
            mentions=[
                Mention(text=h.text, start=h.start, end=h.end, section=s) for h, s, _ in hits
            ],
            importance=round(min(1.0, importance), 3),
            required=any(section in _REQUIRED_SECTIONS for _, section, _ in hits),
            alternatives=offered.get(entry.name, []),
        ))
    result.sort(key=lambda s: (-s.importance, s.mentions[0].start))
    return result


def _with_defined(forms: list[str], name: str, defined: dict[str, list[str]]) -> list[str]:
    """The posting's forms of a skill and, where it defines one as an acronym of the other
    ("account-based marketing (ABM)"), the other form too."""
    for form in [*forms, name]:
        for other in defined.get(" ".join(form.lower().split()), ()):
            if other.lower() not in {f.lower() for f in forms}:
                forms.append(other)
    return forms


@lru_cache(maxsize=4096)
def _emphasis(line: str) -> bool:
    return bool(posting_facts.EMPHASIS_CUES.search(line))


def _education(text: str, lines: list[PostingLine]) -> dict[str, object]:
    levels, fields, required = [], [], False
    starts = [ln.start for ln in lines]
    candidates = {_line_of(lines, starts, m.start()).start: None
                  for m in posting_facts.degree_words(text)}
    for line in lines:
        if line.start not in candidates:
            continue  # one scan of the whole text instead of five patterns per line
        if line.section in (Section.about, Section.benefits):
            continue
        # Clause by clause: "Bachelor's degree required; Master's in Education preferred".
        for clause in line.text.split(";"):
            found = posting_facts.education_levels(clause)
            if not found:
                continue
            levels += found
            fields += [f for f in posting_facts.education_fields(clause) if f not in fields]
            preferred = (line.section == Section.preferred
                         or posting_facts.PREFERRED_CUES.search(clause))
            required = required or not preferred
    return {
        "education": posting_facts.lowest_level(levels),
        "education_required": required,
        "education_fields": fields,
    }


def _company(text: str) -> str | None:
    match = _COMPANY_FIELD.search(text)
    return match.group(1).strip() if match else None


def _seniority_field(text: str) -> posting_facts.Seniority | None:
    match = re.search(r"(?:experience level|seniority|level)\s*:\s*\n?\s*(.+)", text, re.I)
    return posting_facts.seniority_of(match.group(1)) if match else None


def _section_counts(lines: list[PostingLine]) -> dict[Section, int]:
    counts: dict[Section, int] = defaultdict(int)
    for line in lines:
        if not line.heading:
            counts[line.section] += 1
    return dict(counts)
