"""Facts a posting states outside its skills: title, seniority, years, education, culture, tone.

Plain regular expressions over the text: these phrases are formulaic ("5+ years", "at least
three years", "BS in Computer Science or a related field"), and a rule is easy to audit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.models import EducationLevel, Seniority, Tone

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS = re.compile(
    rf"(?:at least|minimum(?: of)?|min\.?|over|more than|a minimum of)?\s*\(?{_NUM}\)?"
    rf"\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*{_NUM}\s*\+?)?\s*years?\b(?:['’]s?)?"
    rf"(?:\s+of)?(?:\s+(?:professional|relevant|hands-on|industry|commercial|work|working"
    rf"|proven|practical|related))*\s*(?:experience|exp\b|in\b|with\b|of\b|as\b"
    # ... or doing the work: "2+ years designing instruction", "5 years managing teams"
    rf"|(?!during\b)[a-z]{{2,}}ing\b)",
    re.IGNORECASE,
)
_SENIORITY_RULES: tuple[tuple[Seniority, str], ...] = (
    (Seniority.intern, r"\bintern(ship)?\b|\btrainee\b|\bapprentice"),
    (Seniority.executive, r"\b(vp|vice president|chief|cto|ceo|cio|head of)\b"),
    (Seniority.director, r"\bdirector\b"),
    (Seniority.principal, r"\bprincipal\b|\bdistinguished\b"),
    (Seniority.lead, r"\blead\b|\bstaff\b|\btech lead\b|\barchitect\b"),
    (Seniority.manager, r"\bmanager\b|\bmanagement\b"),
    (Seniority.senior, r"\bsenior\b|\bsr\.?\b|\bexperienced\b"),
    (Seniority.junior, r"\bjunior\b|\bjr\.?\b|\bentry[- ]level\b|\bgraduate\b|\bnew grad"),
    (Seniority.mid, r"\bmid[- ]?(level|senior)?\b|\bintermediate\b"),
)
_EDUCATION_RULES: tuple[tuple[EducationLevel, str], ...] = (
    (EducationLevel.doctorate, r"\bph\.?\s?d\b|\bdoctor(ate|al)\b"),
    (EducationLevel.master, r"\bmaster['’]?s?\b|\bm\.?sc\b|\bm\.s\.|\bms\b(?= (in|degree))"
                            r"|\bmba\b"),
    (EducationLevel.bachelor, r"\bbachelor['’]?s?\b|\bb\.?sc\b|\bb\.[sa]\.|\bbs\b|\bba\b"
                              r"|\bb\.?eng\b"
                              r"|\bundergraduate degree|\b(university|college|4-year) degree"),
    (EducationLevel.associate, r"\bassociate['’]?s? degree\b"),
    (EducationLevel.high_school, r"\bhigh school\b|\bged\b|\bsecondary school"),
)
_LEVEL_ORDER = list(EducationLevel)
_COMPILED_EDUCATION = tuple((level, re.compile(p, re.IGNORECASE)) for level, p in _EDUCATION_RULES)
# The leading lookahead lets the engine skip positions that cannot start any branch: without
# it a case-insensitive alternation tries every branch at every character (3-4x slower).
_ANY_DEGREE = re.compile(
    r"(?=[abdghmpsu])(?:degree|bachelor|master|ph\.?\s?d|doctor|\bb\.?sc|\bm\.?sc|\bb\.[sa]\."
    r"|\bm\.s\.|\bbs\b|\bba\b|\bms\b|\bmba\b|\bb\.?eng|undergraduate|associate|high school"
    r"|\bged\b|secondary school)",
    re.IGNORECASE,
)
_FIELD = re.compile(
    r"(?i:degree|bachelor['’]?s?|master['’]?s?|ph\.?d\.?|b\.?sc?\.?|m\.?sc?\.?|bs|ms|ba)"
    r"\s*(?i:degree\s*)?(?:in|of)\s+([A-Z][\w&/ ,.-]{2,120}?)"
    r"(?:\s*(?:,?\s*or (?:a )?(?:related|similar|equivalent)|\.|;|\(|\n|$))",
)
PREFERRED_CUES = re.compile(
    r"\b(?=[niabpdwo])(nice[- ]to[- ]have|is a plus|a plus|bonus|preferred|preferably|ideally"
    r"|desirable"
    r"|would be (great|nice)|not required|advantage|optional)\b", re.IGNORECASE,
)
EMPHASIS_CUES = re.compile(
    r"\b(?=[msedrpa])(must|strong|expert|expertise|required|requires?|essential|deep|extensive"
    r"|solid|proven|proficien\w*|mastery|advanced)\b", re.IGNORECASE,
)
# Each value's pattern, and how each of its alternatives starts (lower-cased).
_CULTURE = {
    "ownership": (r"\bownership\b|\bown (it|the)\b", ("own",)),
    "collaboration": (r"\bcollaborat\w+|\bteamwork\b", ("collaborat", "teamwork")),
    "transparency": (r"\btransparen\w+", ("transparen",)),
    "diversity and inclusion": (r"\bdivers(e|ity)\b|\binclusi(on|ve)\b|\bequal opportunity",
                                ("divers", "inclusi", "equal opportunity")),
    "innovation": (r"\binnovat\w+", ("innovat",)),
    "customer focus": (r"\bcustomer[- ](first|obsess\w*|focus\w*|centric)", ("customer",)),
    "learning and growth": (r"\b(learning|growth|develop(ment)? budget|career development)\b",
                            ("learning", "growth", "develop", "career development")),
    "work-life balance": (r"\bwork[- ]life balance\b|\bflexible (hours|working)\b",
                          ("work", "flexible ")),
    "remote-friendly": (r"\bremote\b|\bdistributed team\b|\bhybrid\b",
                        ("remote", "distributed team", "hybrid")),
    "impact": (r"\bimpact(ful)?\b|\bmake a difference\b", ("impact", "make a difference")),
    "quality": (r"\bcraft(smanship)?\b|\bquality\b", ("craft", "quality")),
    "integrity": (r"\bintegrity\b|\bhonest(y)?\b", ("integrity", "honest")),
    "autonomy": (r"\bautonomy\b|\bautonomous\b", ("autonom",)),
}
# (name, the pattern over lower-cased text, the same ignoring case, its alternatives' starts)
_CULTURE_PATTERNS = [(name, re.compile(pattern), re.compile(pattern, re.IGNORECASE), starts)
                     for name, (pattern, starts) in _CULTURE.items()]
# Letters a case-blind pattern matches as an ASCII letter that do not lower-case to it (the
# long s, the Kelvin sign, the dotless and the dotted I): where one stands, the text is
# searched ignoring case instead of lower-cased.
_FOLDS_TO_ASCII = "\u017f\u212a\u0131\u0130"
_CASUAL_WORDS = frozenset(
    {
        "you'll", "you’ll", "we're", "we’re", "you're", "you’re", "rockstar", "ninja", "guru",
        "awesome", "super", "fun", "love", "hey", "crush", "kick-ass", "kickass", "amazing",
        "folks", "cool", "rock",
    }
)
_WORDS = re.compile(r"[a-z][a-z'’-]*")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_FORMAL = re.compile(
    r"(?=[tasphiedc])(?:\bthe (successful )?(candidate|applicant)\b|\bapplicants?\b|\bshall\b"
    r"|\bpursuant\b|\bhereby\b|\bincumbent\b|\bequal opportunity employer\b|\bin accordance with\b|"
    r"\bis responsible for\b|\bduties include\b|\bcommensurate\b)",
    re.IGNORECASE,
)
# lower-cased words of which every match of _FORMAL holds one
_FORMAL_PIECES = ("candidate", "applicant", "shall", "pursuant", "hereby", "incumbent",
                  "equal opportunity employer", "in accordance with", "is responsible for",
                  "duties include", "commensurate")


def number(token: str) -> float:
    low = token.lower()
    return float(_NUMBER_WORDS[low]) if low in _NUMBER_WORDS else float(token)


def years_mentions(text: str) -> list[float]:
    """Every minimum years figure asked for; a range ("3-5 years") counts as its low end."""
    found = []
    for line in text.splitlines():
        if "year" not in line.lower():
            continue  # the pattern is costly; most lines name no years at all
        for match in _YEARS.finditer(line):
            value = number(match.group(1))
            if 0 < value <= 30:
                found.append(value)
    return found


def seniority_of(text: str) -> Seniority | None:
    for level, pattern in _SENIORITY_RULES:
        if re.search(pattern, text, re.IGNORECASE):
            return level
    return None


def degree_words(text: str) -> Iterator[re.Match[str]]:
    """Where a text names a degree at all (a cheap pre-filter for education_levels)."""
    return _ANY_DEGREE.finditer(text)


def education_levels(text: str) -> list[EducationLevel]:
    """The degree levels a line names; a bare "degree" means a bachelor's unless the line names
    a level itself ("Master's degree in Statistics" is a master's only)."""
    if not _ANY_DEGREE.search(text):
        return []  # most lines name no degree: one cheap test instead of five
    levels = [level for level, pattern in _COMPILED_EDUCATION if pattern.search(text)]
    if not levels and re.search(r"\bdegree\b", text, re.IGNORECASE):
        levels.append(EducationLevel.bachelor)
    return levels


def lowest_level(levels: list[EducationLevel]) -> EducationLevel | None:
    return min(levels, key=_LEVEL_ORDER.index) if levels else None


def education_fields(text: str) -> list[str]:
    fields: list[str] = []
    for match in _FIELD.finditer(text):
        for part in re.split(r",|\bor\b|\band\b|/", match.group(1)):
            name = part.strip(" .,")
            if name and name[0].isupper() and len(name.split()) <= 4 and name not in fields:
                fields.append(name)
    return fields


def culture_values(text: str) -> list[str]:
    """The values the posting names, in `_CULTURE`'s order. Each pattern is tried only where
    the lower-cased text holds the start of one of its alternatives: searching every pattern,
    or one of them all, over the whole text took ~0.4 ms a posting."""
    if _folds_to_ascii(text):
        return [name for name, _, blind, _ in _CULTURE_PATTERNS if blind.search(text)]
    lower = text.lower()
    return [name for name, pattern, _, starts in _CULTURE_PATTERNS
            if _matches_at(lower, pattern, starts)]


def _folds_to_ascii(text: str) -> bool:
    """Whether lower-casing the text would hide a match of a case-blind pattern from a
    search of the lower-cased text (`_FOLDS_TO_ASCII`)."""
    return any(letter in text for letter in _FOLDS_TO_ASCII)


def _matches_at(lower: str, pattern: re.Pattern[str], starts: tuple[str, ...]) -> bool:
    """Whether `pattern` matches where one of `starts` stands in `lower`."""
    for start in starts:
        at = lower.find(start)
        while at >= 0:
            if pattern.match(lower, at):
                return True
            at = lower.find(start, at + 1)
    return False


def tone_of(text: str) -> Tone:
    """Casual: exclamation marks, "you'll", emojis, "rockstar"; formal: "the successful
    candidate", "shall", "applicants"."""
    lower = text.lower()
    casual = text.count("!") + len(_EMOJI.findall(text))
    # the words and the pattern only where one could be found (each a scan of the text)
    if any(word in lower for word in _CASUAL_WORDS):
        casual += sum(w in _CASUAL_WORDS for w in _WORDS.findall(lower))
    formal = 0
    if any(piece in lower for piece in _FORMAL_PIECES) or _folds_to_ascii(text):
        formal = len(_FORMAL.findall(text))
    if casual >= 3 and casual > 2 * formal:
        return Tone.casual
    if formal >= 2 and casual <= 1:
        return Tone.formal
    return Tone.neutral
