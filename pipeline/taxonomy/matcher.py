"""Find taxonomy skills in text: spaCy's tokenization and phrase matching, without spaCy.

Two matchers share one tokenizer: `lower` for ordinary aliases ("postgres", "k8s") and `orth`
for names that are English words or single letters and only count with their capitalisation
("Go", "R", "Excel", "Swift"). Overlapping matches resolve to the longest (`filter_spans`), so
"Spring Boot" beats "Spring" and "C++" beats "C". The tokens and phrase matches are those of the
spaCy tokenizer and PhraseMatchers this was first built on: pipeline.taxonomy.tokenizer
reproduces the tokenizer and pipeline/data/skill_index.json holds the phrases already
tokenised, so the matcher loads in milliseconds and the process never imports spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import SkillEntry
from pipeline.taxonomy.skill_index import TERMINAL, SkillIndex, find_phrases, load_skill_index
from pipeline.taxonomy.tokenizer import Doc, Span, Tokenizer, filter_spans

# Exact-case forms that read as English, or are one letter: they need a technical neighbour
# (another skill, or "language", "developer"...) when they stand at a sentence start or are tiny.
_NEEDS_CONTEXT_ALWAYS = frozenset({"C", "R", "Go", "D", "J"})
_CONTEXT_WORDS = frozenset(
    {
        "language", "languages", "programming", "developer", "developers", "engineer",
        "engineers", "framework", "frameworks", "stack", "code", "coding", "experience",
    }
)
# Language names ("Danish", "English") are skills only when the text speaks of language:
# "fluent Danish", "English and German", not "the Danish company".
_LANGUAGE_CATEGORY = "Languages"
_LANGUAGE_CONTEXT = frozenset(
    {
        "fluent", "fluency", "fluently", "speak", "speaks", "speaking", "spoken", "written",
        "write", "language", "languages", "native", "proficiency", "proficient", "bilingual",
        "tongue", "verbal", "oral", "level", "skills", "communication", "command",
    }
)
_LIST_GLUE = frozenset({",", "/", "and", "or", "&", "(", ")", ";", "|", "+"})
_REJECT_BEFORE = frozenset({"series", "level", "grade", "vitamin", "plan", "type", "class", "tier"})
_WINDOW = 6
_LEAD_INS = frozenset({"in", "using", "with"})  # "written in Go": the name follows a preposition
_ITEM_EDGES = " \t\n,;:!?*•·-–—()[]{}\"'"


@dataclass(frozen=True, slots=True)
class FoundSkill:
    entry: SkillEntry
    text: str  # surface form as written
    start: int  # character offsets into the searched text
    end: int

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def kind(self) -> SkillKind:
        return self.entry.kind


class SkillMatcher:
    def __init__(self, index: SkillIndex) -> None:
        self.index = index
        self.tokenizer = Tokenizer(**index.tokenizer)

    def _entry(self, span: Span) -> SkillEntry:
        return self.index.entry(span.label)

    def find(self, text: str, kind: SkillKind | None = None) -> list[FoundSkill]:
        """Every skill named in `text`, in order, longest match winning at each place."""
        return self.find_in_doc(self.tokenizer(text), kind)

    def find_item(self, text: str, kind: SkillKind | None = None) -> list[FoundSkill]:
        """Skills in one item of a list of skills (a resume's `skills[].keywords` entry, a
        language, a certificate name). The item is a skill mention by its place, so a whole
        item that is a taxonomy name or alias counts without the context rules free text needs:
        a lone "Go", "R" or "English" is the language, "Sass" is Sass."""
        found = self.find(text, kind)
        stripped = text.strip(_ITEM_EDGES).rstrip(".")  # ".NET" keeps its dot
        if not stripped or any(f.end - f.start == len(stripped) for f in found):
            return found
        number = self.index.items.get(" ".join(stripped.lower().split()))
        if number is None:
            return found
        entry = self.index.entry(number)
        if kind is not None and entry.kind != kind:
            return found
        start = text.index(stripped)
        return [FoundSkill(entry, stripped, start, start + len(stripped))]

    def knows_word(self, word: str) -> bool:
        """Whether one word is a taxonomy name or alias in any of the ways the matcher finds
        one (any case, exact case, a list item): a dictionary lookup per way."""
        index = self.index
        lower = word.lower()
        return (TERMINAL in index.lower.get(lower, {}) or TERMINAL in index.orth.get(word, {})
                or TERMINAL in index.listed.get(lower, {}) or lower in index.items)

    def find_in_doc(self, doc: Doc, kind: SkillKind | None = None) -> list[FoundSkill]:
        index = self.index
        spans = [Span(doc, s, e, k) for k, s, e in find_phrases(index.lower, doc.lowers)]
        exact = [Span(doc, s, e, k) for k, s, e in find_phrases(index.orth, doc.words)]
        spans += [span for span in exact if self._plausible(span, spans)]
        for key, start, end in find_phrases(index.listed, doc.lowers):
            if doc[start].is_lower and self._in_list(doc, start, end, spans):
                spans.append(Span(doc, start, end, key))
        spans = [s for s in spans if self._entry(s).category != _LANGUAGE_CATEGORY
                 or self._speaks_of_language(s, spans)]
        found = []
        for span in filter_spans(spans):
            entry = self._entry(span)
            if kind is None or entry.kind == kind:
                found.append(FoundSkill(entry, span.text, span.start_char, span.end_char))
        return found

    def _in_list(self, doc: Doc, start: int, end: int, spans: list[Span]) -> bool:
        """Another hard skill next to it, with at most list punctuation or a conjunction
        between: "java, spring and hibernate", "java spring" (a tag list)."""
        for s in spans:
            if self._entry(s).kind != SkillKind.hard or start < s.end and s.start < end:
                continue  # not a hard skill, or overlapping this very word
            gap = doc[s.end : start] if s.end <= start else doc[end : s.start]
            if len(gap) <= 2 and all(t.text.lower() in _LIST_GLUE for t in gap):
                return True
        return False

    def _speaks_of_language(self, span: Span, spans: list[Span]) -> bool:
        doc = span.doc
        near = doc[max(0, span.start - 4) : span.end + 4]
        if any(token.lower_ in _LANGUAGE_CONTEXT for token in near):
            return True
        return any(
            s is not span and abs(s.start - span.start) <= 3
            and self._entry(s).category == _LANGUAGE_CATEGORY
            for s in spans
        )

    def _plausible(self, span: Span, lower: list[Span]) -> bool:
        """Context rules for exact-case forms that are letters or English words."""
        doc, text = span.doc, span.text
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        if before is not None and before.lower_ in _REJECT_BEFORE:
            return False  # "Series C", "level C"
        if after is not None and after.text in {"-", "'s"} and len(text) == 1:
            return False  # "C-level", "C-suite"
        at_start = (
            before is None or before.is_punct and before.text in ".!?:" or "\n" in before.text
        )
        if text not in _NEEDS_CONTEXT_ALWAYS and not (at_start and text.istitle()):
            return True
        if _alone_on_line(span):
            return True  # a bullet that is just "Go" or "R": an item of a list of skills
        if before is not None and before.lower_ in _LEAD_INS and not at_start and (
                after is None or after.text not in {"-", "–"}):
            return True  # "services in Go", "analysis using R" (not "with Go-to-market")
        lo, hi = span.start - _WINDOW, span.end + _WINDOW
        neighbours = (s for s in lower if lo <= s.start < hi)
        if any(self._entry(s).kind == SkillKind.hard for s in neighbours):
            return True
        near = doc[max(0, span.start - 2) : span.end + 2]
        return any(token.lower_ in _CONTEXT_WORDS for token in near)


def _alone_on_line(span: Span) -> bool:
    """Only bullets or punctuation share the span's line."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and "\n" not in doc[i].text:
        if not doc[i].is_punct and doc[i].text not in "•·*-":
            return False
        i -= 1
    j = span.end
    while j < len(doc) and "\n" not in doc[j].text:
        if not doc[j].is_punct:
            return False
        j += 1
    return True


@lru_cache(maxsize=1)
def get_matcher() -> SkillMatcher:
    """The process-wide matcher over the shipped taxonomy's compiled index."""
    return SkillMatcher(load_skill_index())
