"""What a posting's headings name: a vocabulary of heading phrases per section kind, matched on
normalised heading text.

Postings arrive as pasted text and HTML far more often than as Markdown, so the same heading
comes written many ways: `## Nice to have`, `NICE-TO-HAVE`, `Nice to have:`, a bare
`Nice to have` line, `<h3>Nice to have</h3>` (which pipeline.inputs turns into `### Nice to
have`), or an inline label, `Nice-to-have: Kafka`. Normalising the text (case, punctuation,
contractions, plurals) lets one phrase list cover all of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.models import Section

# The phrases as people write them; they are normalised like the headings before matching.
# When a heading holds phrases of several kinds, the longest phrase wins ("preferred
# qualifications" is preferred, not requirements; "what we are looking for" is requirements,
# not the "who we are" of an about section); equal lengths go to the kind listed first.
VOCABULARY: dict[Section, tuple[str, ...]] = {
    Section.preferred: (
        "nice to have", "nice to haves", "good to have", "great to have", "preferred",
        "preferred qualifications", "preferred skills", "preferred experience", "bonus",
        "bonus points", "bonus skills", "plus", "pluses", "a plus", "desired", "desirable",
        "desired skills", "desired qualifications", "ideally", "ideally you have",
        "ideally you will have", "extra credit", "would be great", "would be nice",
        "would be a plus", "not required", "optional", "even better if", "brownie points",
        "what would make you stand out", "stand out", "it is a plus if",
    ),
    Section.benefits: (
        "benefits", "benefits and perks", "perks", "perks and benefits", "what we offer",
        "we offer", "our offer", "what you get", "what you will get", "what is in it for you",
        "in it for you", "compensation", "compensation and benefits", "salary",
        "salary range", "pay", "pay range", "package", "rewards", "why join us", "why join",
        "why work with us", "why work here", "why you will love working here",
        "what you will love",
    ),
    Section.responsibilities: (
        "responsibilities", "key responsibilities", "your responsibilities", "what you will do",
        "what you will be doing", "what you will work on", "what you will be working on",
        "you will", "your role", "the role", "about the role", "about the job",
        "about the position", "role description", "job description", "duties", "key duties",
        "day to day", "a day in the life", "in this role", "in this role you will",
        "your mission", "your tasks", "tasks", "the job", "the opportunity", "your impact",
        "the position", "position summary", "role overview", "job summary",
        "accountabilities",
    ),
    Section.requirements: (
        "requirements", "minimum requirements", "basic qualifications",
        "minimum qualifications", "qualifications", "required qualifications",
        "required skills", "required", "must have", "must haves", "what you will bring",
        "what you bring", "you bring", "what we are looking for", "who we are looking for",
        "we are looking for", "looking for", "about you", "you have", "you will have",
        "your profile", "profile", "ideal candidate", "the ideal candidate", "you should have",
        "skills", "skills and experience", "experience", "who you are", "competencies",
        "essential", "essential skills", "your background", "what we need", "what you need",
        "what you will need", "what it takes", "need to succeed", "skills and qualifications",
        "key skills", "technical skills",
    ),
    Section.about: (
        "about", "about us", "about the company", "about the team", "who we are",
        "our company", "our mission", "our story", "our team", "our culture",
        "company profile", "company overview", "company description", "the company",
        "the team", "our values", "why us",
    ),
}
_PRIORITY = list(VOCABULARY)
MAX_HEADING_WORDS = 8  # longer lines are sentences, whatever they start with

_CONTRACTIONS = (
    (re.compile(r"(?<=\w)'re\b"), " are"), (re.compile(r"(?<=\w)'ll\b"), " will"),
    (re.compile(r"(?<=\w)'ve\b"), " have"), (re.compile(r"(?<=\w)'d\b"), " would"),
    (re.compile(r"(?<=\w)n't\b"), " not"), (re.compile(r"\b(what|it|that)'s\b"), r"\1 is"),
    (re.compile(r"(?<=\w)'s\b"), ""),
)
_NOT_WORD = re.compile(r"[^\w]+")


def _stem(word: str) -> str:
    """Plural to singular, as far as headings need it ("responsibilities", "perks")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=8192)
def normalise_heading(text: str) -> tuple[str, ...]:
    """The words of a heading as compared: case folded, curly quotes straightened,
    contractions spelt out, punctuation and Markdown marks dropped, plurals singular."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("‘", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = text.replace("&", " and ").replace("+", " and ")
    return tuple(_stem(word) for word in _NOT_WORD.sub(" ", text).replace("_", " ").split())


@lru_cache(maxsize=1)
def _vocabulary() -> dict[tuple[str, ...], Section]:
    """Normalised phrase → its section (a phrase listed under two kinds keeps the first)."""
    index: dict[tuple[str, ...], Section] = {}
    for section, phrases in VOCABULARY.items():
        for phrase in phrases:
            index.setdefault(normalise_heading(phrase), section)
    return index


@lru_cache(maxsize=8192)
def heading_section(text: str) -> Section | None:
    """The section a heading names (by its longest known phrase), or None."""
    words = normalise_heading(text)
    if not words or len(words) > MAX_HEADING_WORDS:
        return None
    index = _vocabulary()
    for length in range(len(words), 0, -1):  # longest phrase first
        found = [index[words[i:i + length]] for i in range(len(words) - length + 1)
                 if words[i:i + length] in index]
        if found:
            return min(found, key=_PRIORITY.index)
    return None


def exact_heading_section(text: str) -> Section | None:
    """The section when the whole text is one known phrase ("Nice to have", "What we
    offer"): such a line is a heading even without any mark of one."""
    return _vocabulary().get(normalise_heading(text))


_INLINE_LABEL = re.compile(
    r"^\s*(?:[-*•·]\s+)?(?:\*\*|__)?(?P<label>[^:*_\n]{2,60}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?"
    r"\s*(?P<rest>\S.*)$"
)
MAX_LABEL_WORDS = 5


def inline_label(line: str) -> Section | None:
    """The section an inline label names, in `Nice-to-have: Kafka, Terraform` or `**Bonus
    points:** Go`; None for a line without a known label (`Location: Boston`)."""
    colon = line.find(":", 0, 80)
    if colon < 2:
        return None  # most lines hold no label: skip the pattern
    match = _INLINE_LABEL.match(line)
    if match is None or not any(c.isalnum() for c in match.group("rest")):
        return None  # "**Must have:**" is a heading, its closing mark no content
    label = match.group("label")
    if len(label.split()) > MAX_LABEL_WORDS or label.rstrip().endswith((".", "!", "?")):
        return None
    return heading_section(label)
