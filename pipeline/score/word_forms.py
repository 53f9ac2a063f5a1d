"""Word forms: a skill named in another form of its words ("Site Reliability Engineer" for
Site Reliability Engineering, "Mentored" for mentoring, "communicate" for communication).

The taxonomy's matcher finds exact names and aliases; this finds the posting's skills whose
words appear in a resume field as the same word stems, in order and side by side. Both sides
are reduced by one small suffix stripper (English derivational and inflectional endings), so
Engineer/Engineering, Developer/Development, Analyst/Analysis and Designer/Design meet.

Names are not words: a one-word skill that carries no suffix of its own ("Express", "Spark",
"Go") is left to the matcher, so "expressed" or "sparked" never evidence a product; a one-word
hard skill that does ("Monitoring", "Accounting") matches its verb forms ("monitored"), not
every noun that shares its stem ("accounts").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Irregular forms the stripper cannot reach.
_IRREGULAR = {"led": "lead", "ran": "run", "wrote": "writ", "written": "writ", "built": "build",
              "taught": "teach", "spoke": "speak", "spoken": "speak"}
# Longest first. Each maps an ending to what replaces it.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("izations", "ize"), ("ization", "ize"), ("isations", "ise"), ("isation", "ise"),
    ("ysises", "y"), ("ysis", "y"), ("yses", "y"), ("ysts", "y"), ("yst", "y"),
    ("yzing", "y"), ("ysing", "y"), ("yzed", "y"), ("ysed", "y"), ("yzes", "y"), ("yses", "y"),
    ("yze", "y"), ("yse", "y"), ("ytics", "y"), ("ytical", "y"), ("ytic", "y"),
    ("ational", "ate"), ("ations", "ate"), ("ation", "ate"), ("ators", "ate"), ("ator", "ate"),
    ("ments", ""), ("ment", ""), ("ships", ""), ("ship", ""), ("ities", ""), ("ity", ""),
    ("ings", ""), ("ing", ""), ("ions", ""), ("ion", ""), ("ers", ""), ("er", ""),
    ("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", ""),
)
# Endings that make a skill's word a word form rather than a name ("Monitoring", "Design" is
# a plain word too, but a one-word hard skill without any of these is treated as a name).
_WORD_ENDINGS = tuple(s for s, _ in _SUFFIXES if len(s) > 2)
_VERB_ENDINGS = ("ed", "ing")
_MIN_STEM = 3
# "lead" as in sales leads is not leadership
_NOT_AFTER = {"lead": frozenset({"generation", "gen", "time", "times", "scoring", "nurturing"})}
_STOP = frozenset({"a", "an", "the", "of", "and", "&", "for", "in", "on", "to", "with"})


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the word; the same words recur
def stem(word: str) -> str:
    """The stem both sides are compared by: "Engineering" → "engin", "Engineer" → "engin",
    "Mentored" → "mentor", "communication" → "communicat", "led" → "lead"."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for _ in range(2):  # "leadership" → "leader" → "lead"
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                if suffix == "s" and word.endswith("ss"):
                    break  # "process", "business"
                word = word[: -len(suffix)] + replacement
                break
        else:
            break
    if len(word) > _MIN_STEM and word[-1] == "e":
        word = word[:-1]  # "manage"/"managed", "communicate"/"communication"
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "planning" → "plann" → "plan", "install"/"installed"
    return word


@dataclass(frozen=True, slots=True)
class Words:
    """A text's words as stems, with each word's character span."""

    stems: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    lower: tuple[str, ...]

    @classmethod
    @functools.lru_cache(maxsize=1024)  # a resume's fields, read again for every posting ranked
    def of(cls, text: str) -> Words:
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)
                  if m.group(0).lower() not in _STOP]
        return cls(tuple(stem(t) for t, _, _ in tokens), tuple((s, e) for _, s, e in tokens),
                   tuple(t.lower() for t, _, _ in tokens))


@dataclass(frozen=True, slots=True)
class FormPattern:
    """One way of naming a skill ("Site Reliability Engineering"), ready to look for."""

    stems: tuple[str, ...]
    verb_only: bool  # one word of a hard skill: only verb forms ("monitored"), not nouns
    word: str = ""  # that one word as the skill writes it, lowercased

    @classmethod
    def of(cls, form: str, *, hard: bool) -> FormPattern | None:
        """None for a name (one word without a derivational ending): the taxonomy's
        matcher, with its rules for names that are also English words, finds those."""
        words = Words.of(form)
        if not words.stems:
            return None
        one = len(words.stems) == 1
        if one and not words.lower[0].endswith(_WORD_ENDINGS):
            return None
        return cls(words.stems, one and hard, words.lower[0] if one and hard else "")

    def find(self, words: Words) -> tuple[int, int] | None:
        """The first character span where this form stands in `words`, or None."""
        return next(self.spans(words), None)

    def spans(self, words: Words) -> Iterator[tuple[int, int]]:
        """Every character span where this form stands in `words`."""
        n = len(self.stems)
        for i in range(len(words.stems) - n + 1):
            if words.stems[i : i + n] != self.stems:
                continue
            word = words.lower[i]
            if self.verb_only and not (word.endswith(_VERB_ENDINGS) or word == self.stems[0]
                                       or word == self.word):
                continue  # "Accounting" is not evidenced by "accounts"; "monitored" does,
                # and the skill's own word does: "Education" for Education
            nxt = words.lower[i + n] if i + n < len(words.lower) else ""
            if nxt in _NOT_AFTER.get(words.stems[i + n - 1], ()):
                continue
            yield words.spans[i][0], words.spans[i + n - 1][1]
