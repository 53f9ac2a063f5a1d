"""The truthfulness guard: every provider's output line is checked against its source lines.

A line is rejected when it states a fact its sources lack: a skill (found by the taxonomy's
SkillMatcher), an employer or job title, a date, or a number (digits, percentages, money,
"3x", spelled-out numbers). A rejected line falls back to a safe line (the source, or the
deterministic local version of it) and a GuardRejection records why.

An AI provider's line is held to more (`strict`, every provider but the deterministic local
one): it may add no URL, email address or phone number, no negation or adverse claim ("was
fired for misconduct"); and a rewording of one line may add at most NEW_WORDS_ALLOWED content
words its source lacks (a rewording swaps a verb; instructions or invented claims add many),
beyond function words and the skill terms its source evidences, and be at most LENGTH_FACTOR
times its source's words plus LENGTH_SLACK. (A summary, written from several facts, needs
words of its own: it gets the other checks.)

The checks are deliberately conservative: rejecting a good rewording costs a little polish,
accepting a fabricated one costs the user's credibility.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.jsonresume import Resume
from pipeline.models import GuardRejection
from pipeline.taxonomy.matcher import SkillMatcher, get_matcher

_SPELLED = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "double": 2, "twice": 2, "triple": 3, "tripled": 3,
    "doubled": 2, "halved": 2,
}  # "one" is left out: "one of the first" is not a claim
_UNITS = {"%": "%", "percent": "%", "x": "x", "k": "k", "thousand": "k", "m": "m",
          "million": "m", "mm": "m", "b": "b", "bn": "b", "billion": "b"}
_NUMBER = re.compile(
    r"(?<![\w.])([$€£¥])?\s?(\d+(?:[.,]\d+)*)(?:\s?(%|percent\b|x\b|k\b|thousand\b|mm?\b|"
    r"million\b|bn?\b|billion\b))?|\b(" + "|".join(_SPELLED) + r")\b",
    re.IGNORECASE,
)
_MONTH_NAMES = ("january february march april june july august september october november "
                "december jan feb mar apr jun jul aug sep sept oct nov dec")
_MONTHS = _MONTH_NAMES.split()
_MONTH = re.compile(r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\b\.?"
                    r"|\bMay(?=\s+\d{4})|\bQ[1-4]\b")
_TITLE_WORDS = re.compile(
    r"\b(senior|junior|principal|staff|head of|manager|director|vp|vice president|chief|"
    r"cto|ceo|cfo|coo|founder|co-founder|architect|intern|tech lead|team lead|lead engineer|"
    r"lead developer|lead data scientist|supervisor|president|partner)\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"\b[A-Z][\w&'’.-]*[\w&]|\b[A-Z]\b")
# Contact details and links: never added by a rewording (a model may be told to plant them).
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+"
                  r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?(?=$|[\s,;:)!?]|\.(?:\s|$))")
_EMAIL = re.compile(r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{6,}\d\b")
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
# Words that turn a line against its owner, or deny what it says: never added.
_ADVERSE_WORDS = """
    not no never none nor without cannot can't couldn't didn't don't doesn't isn't wasn't
    weren't won't wouldn't hardly barely fail failed failing failure fired dismissed
    terminated sacked laid misconduct fraud convicted arrested lawsuit sued disciplined
    demoted resigned quit unable refused negligence violation breach stole theft
"""
_FUNCTION_WORDS_TEXT = """
    a an the and or but so yet for of to in on at by with from into onto over under about
    across after before during through throughout within via per as than then that this
    these those which who whom whose what when where while it its it's their them they
    our we us i my me he she his her him be been being is are was were am has have had do
    does did done will would shall should can could may might must also both each every
    all any some such more most other another same own very well just only even up down
    out off again further once here there how why whether if because since until upon
    using used use including include includes based new key end
"""
_ADVERSE = frozenset(_ADVERSE_WORDS.split())
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
NEW_WORDS_ALLOWED = 2
LENGTH_FACTOR = 1.5
LENGTH_SLACK = 4
_SENTENCE_START = re.compile(r"(^|[.!?:;•\-–—(\"“]\s*|\n\s*)$")


def _lower(text: str) -> str:
    return " ".join(text.lower().split())


def _contains(haystack: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", haystack) is not None


def numbers_in(text: str) -> set[str]:
    """Normalised numeric claims: "40 percent" → "40%", "$1,200" → "$1200", "three" → "3"."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        currency, digits, unit, word = match.groups()
        if word:
            found.add(str(_SPELLED[word.lower()]))
            continue
        if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            digits = digits.replace(",", "")  # thousands separators
        value = digits.replace(",", ".")
        value = value.rstrip("0").rstrip(".") if "." in value else value.lstrip("0") or "0"
        found.add(f"{currency or ''}{value}{_UNITS.get((unit or '').lower(), '')}")
    return found


@dataclass(frozen=True)
class Verdict:
    line: str  # what goes into the resume
    rejection: GuardRejection | None


class Guard:
    """Checks lines against their sources for one master resume (build once per tailoring)."""

    def __init__(self, resume: Resume, *, matcher: SkillMatcher | None = None) -> None:
        self.matcher = matcher or get_matcher()
        # lower-cased name → as written, so reasons quote the resume's spelling
        self.employers = {_lower(n): n for n in _employers(resume) if n.strip()}
        self.titles = {_lower(w.position): w.position for w in resume.work if w.position}
        self._skills: dict[str, tuple[frozenset[str], tuple[tuple[int, int], ...]]] = {}

    def _skills_in(self, text: str) -> tuple[frozenset[str], tuple[tuple[int, int], ...]]:
        cached = self._skills.get(text)
        if cached is None:
            found = self.matcher.find(text)
            cached = (frozenset(f.name for f in found), tuple((f.start, f.end) for f in found))
            self._skills[text] = cached
        return cached

    def skill_names(self, text: str) -> frozenset[str]:
        """Canonical names of the skills `text` names (cached: lines are checked often)."""
        return self._skills_in(text)[0]

    def problem(self, proposed: str, sources: Sequence[str], *,
                strict: bool = False) -> str | None:
        """Why `proposed` states something `sources` lack, or None when it is supported.
        `strict` adds the checks for an AI provider's lines (see the module's docstring)."""
        source = "\n".join(sources)
        out_skills, spans = self._skills_in(proposed)
        src_skills: set[str] = set()
        for line in [*sources, source] if len(sources) > 1 else sources:
            src_skills |= self._skills_in(line)[0]  # joined too: "Go" needs a neighbour
        added = sorted(out_skills - src_skills)
        if added:
            return f"adds skill {added[0]!r}"
        contact = _contact_problem(proposed, source)
        if contact:
            return contact
        src_numbers = numbers_in(source)
        for token in sorted(numbers_in(proposed) - src_numbers):
            kind = "date" if re.fullmatch(r"(19|20)\d\d", token) else "number"
            return f"{kind} {token!r} not in source"
        src_lower = _lower(source)
        for month in _MONTH.findall(proposed):
            if not _contains(src_lower, month.lower()):
                return f"date {month!r} not in source"
        names = self._names_problem(proposed, src_lower, spans)
        if names or not strict:
            return names
        return _claims_problem(proposed, source, spans, rewording=len(sources) == 1)

    def _names_problem(self, proposed: str, src_lower: str,
                       skill_spans: Iterable[tuple[int, int]]) -> str | None:
        out_lower = _lower(proposed)
        for employer in sorted(self.employers):
            if _contains(out_lower, employer) and not _contains(src_lower, employer):
                return f"employer {self.employers[employer]!r} not in source"
        for title in sorted(self.titles):
            if _contains(out_lower, title) and not _contains(src_lower, title):
                return f"title {self.titles[title]!r} not in source"
        for match in _TITLE_WORDS.finditer(proposed):
            if not _contains(src_lower, match.group(0).lower()):
                return f"title word {match.group(0)!r} not in source"
        spans = list(skill_spans)
        for match in _PROPER.finditer(proposed):
            word = match.group(0).rstrip(".'’")
            if any(s <= match.start() < e for s, e in spans):
                continue  # a skill name: the skill check above judged it
            if _SENTENCE_START.search(proposed[: match.start()]):
                continue  # capitalised because it starts a sentence
            if not _contains(src_lower, word.lower()):
                return f"name {word!r} not in source (employer, title or product?)"
        return None

    def review(
        self,
        proposed: str,
        *,
        sources: Sequence[str],
        fallback: str,
        output_path: str,
        source_paths: Sequence[str],
        provider: str,
    ) -> Verdict:
        """Accept `proposed`, or fall back to `fallback` and say why."""
        strict = provider != "local"  # our own deterministic lines need no such suspicion
        reason = (self.problem(proposed, sources, strict=strict) if proposed.strip()
                  else "empty line")
        if reason is None:
            return Verdict(proposed.strip(), None)
        rejection = GuardRejection(output_path=output_path, source_paths=list(source_paths),
                                   proposed=proposed, reason=reason, provider=provider)
        return Verdict(fallback, rejection)


def _contact_problem(proposed: str, source: str) -> str | None:
    src_lower = source.lower()
    for kind, pattern in (("email address", _EMAIL), ("link", _URL), ("phone number", _PHONE)):
        for match in pattern.finditer(proposed):
            found = match.group(0).rstrip(".,;:")
            if found.lower() not in src_lower:
                return f"{kind} {found!r} not in source"
    return None


def _stem_match(word: str, known: Iterable[str]) -> bool:
    """Whether `word` is a form of a known word ("migrating"/"migrated", "cut"/"cutting")."""
    for other in known:
        shortest = min(len(word), len(other))
        need = max(3, shortest - 3)
        if shortest >= 3 and word[:need] == other[:need]:
            return True
    return word in known


def _claims_problem(proposed: str, source: str, skill_spans: Iterable[tuple[int, int]], *,
                    rewording: bool) -> str | None:
    """An AI line's words against its source: no adverse words; and for a rewording of one
    line (not a summary written from several facts, which needs words of its own), few new
    content words and a length near the source's."""
    spans = list(skill_spans)
    src_words = {w.lower() for w in _WORD.findall(source)}
    new: list[str] = []
    count = 0
    for match in _WORD.finditer(proposed):
        count += 1
        word = match.group(0).lower().replace("’", "'")
        if any(s <= match.start() < e for s, e in spans):
            continue  # a skill the source evidences (the skill check made sure)
        if word in _ADVERSE or word.endswith("n't"):
            if word not in src_words:
                return f"adds {word!r}, not in source (a negation or an adverse claim)"
            continue
        if word in _FUNCTION_WORDS or word in src_words or _stem_match(word, src_words):
            continue
        if word not in new:
            new.append(word)
    if not rewording:
        return None
    if len(new) > NEW_WORDS_ALLOWED:
        shown = ", ".join(repr(w) for w in new[:4])
        return f"adds {len(new)} words not in source ({shown})"
    limit = int(len(_WORD.findall(source)) * LENGTH_FACTOR) + LENGTH_SLACK
    if count > limit:
        return f"{count} words, more than {limit} for a source of this length"
    return None


def _employers(resume: Resume) -> Iterable[str]:
    for work in resume.work:
        if work.name:
            yield work.name
    for volunteer in resume.volunteer:
        if volunteer.organization:
            yield volunteer.organization
    for education in resume.education:
        if education.institution:
            yield education.institution
    for project in resume.projects:
        if project.entity:
            yield project.entity
