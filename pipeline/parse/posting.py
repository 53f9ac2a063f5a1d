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
from pipeline.parse import alternatives, mention_filter, posting_facts, skill_tagger
from pipeline.parse.extraction import extract_skills
from pipeline.parse.mention_filter import PlacedMention
from pipeline.parse.sections import PostingLine, classify_heading, split_lines
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
    tagged = skill_tagger.find_phrases(text, lines, title_line, found)
    if tagged:
        found = sorted(found + tagged, key=lambda hit: hit.start)
    starts = [ln.start for ln in lines]
    preferred_cue: dict[int, bool] = {}
    placed = []
    for hit in found:
        index = _line_index(starts, hit.start)
        line = lines[index]
        section = Section.title if line is title_line else line.section
        if line.start not in preferred_cue:
            preferred_cue[line.start] = bool(posting_facts.PREFERRED_CUES.search(line.text))
        if section in _REQUIRED_SECTIONS and preferred_cue[line.start]:
            section = Section.preferred
        placed.append(PlacedMention(hit, section, index))
    return placed


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
            surface_forms=list(dict.fromkeys(hit.text for hit, _, _ in hits)),
            mentions=[
                Mention(text=h.text, start=h.start, end=h.end, section=s) for h, s, _ in hits
            ],
            importance=round(min(1.0, importance), 3),
            required=any(section in _REQUIRED_SECTIONS for _, section, _ in hits),
            alternatives=offered.get(entry.name, []),
        ))
    result.sort(key=lambda s: (-s.importance, s.mentions[0].start))
    return result


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
        found = posting_facts.education_levels(line.text)
        if not found or line.section in (Section.about, Section.benefits):
            continue
        levels += found
        fields += [f for f in posting_facts.education_fields(line.text) if f not in fields]
        preferred = (line.section == Section.preferred
                     or posting_facts.PREFERRED_CUES.search(line.text))
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
