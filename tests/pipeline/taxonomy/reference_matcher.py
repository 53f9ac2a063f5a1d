"""The PhraseMatcher-based skill matcher that pipeline.taxonomy.matcher replaced, kept as the
reference the spaCy-free matcher must agree with (tests/pipeline/test_skill_matcher_equivalence.py).

This is pipeline/taxonomy/matcher.py as it was before the switch (spaCy's tokenizer and three
PhraseMatchers built from the taxonomy at start-up, about 2 s), with its tokenizer settings now
in scripts/build_skill_index.py. Its context rules are a copy: a change to the rules in
pipeline/taxonomy/matcher.py must be made here too.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import SkillEntry, Taxonomy
from pipeline.taxonomy.matcher import FoundSkill
from scripts.build_skill_index import make_nlp

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


class ReferenceMatcher:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.nlp = make_nlp()
        self.entries = taxonomy.entries
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        # curated one-word names written in lower case ("java spring hibernate"): count only
        # right next to another skill, as in a list of technologies
        self._listed = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._keys: dict[int, SkillEntry] = {}
        self.item_index: dict[str, SkillEntry] | None = None
        for index, entry in enumerate(self.entries):
            key = f"s{index}"
            self._keys[self.nlp.vocab.strings.add(key)] = entry
            if entry.aliases:
                self._lower.add(key, list(self.nlp.tokenizer.pipe(entry.aliases)))
            if entry.exact:
                self._orth.add(key, list(self.nlp.tokenizer.pipe(entry.exact)))
            listed = [f for f in entry.exact if "curated" in entry.source and f[1:].islower()]
            if listed:
                self._listed.add(key, list(self.nlp.tokenizer.pipe(listed)))

    def find(self, text: str, kind: SkillKind | None = None) -> list[FoundSkill]:
        """Every skill named in `text`, in order, longest match winning at each place."""
        return self.find_in_doc(self.nlp.make_doc(text), kind)

    def find_item(self, text: str, kind: SkillKind | None = None) -> list[FoundSkill]:
        """Skills in one item of a list of skills (a resume's `skills[].keywords` entry, a
        language, a certificate name). The item is a skill mention by its place, so a whole
        item that is a taxonomy name or alias counts without the context rules free text needs:
        a lone "Go", "R" or "English" is the language, "Sass" is Sass."""
        found = self.find(text, kind)
        stripped = text.strip(_ITEM_EDGES).rstrip(".")  # ".NET" keeps its dot
        if not stripped or any(f.end - f.start == len(stripped) for f in found):
            return found
        entry = _item_index(self).get(" ".join(stripped.lower().split()))
        if entry is None or kind is not None and entry.kind != kind:
            return found
        start = text.index(stripped)
        return [FoundSkill(entry, stripped, start, start + len(stripped))]

    def find_in_doc(self, doc: Any, kind: SkillKind | None = None) -> list[FoundSkill]:
        spans = [Span(doc, s, e, label=k) for k, s, e in self._lower(doc)]
        exact = [Span(doc, s, e, label=k) for k, s, e in self._orth(doc)]
        spans += [span for span in exact if self._plausible(span, spans)]
        for key, start, end in self._listed(doc):
            if doc[start].is_lower and self._in_list(doc, start, end, spans):
                spans.append(Span(doc, start, end, label=key))
        spans = [s for s in spans if self._keys[s.label].category != _LANGUAGE_CATEGORY
                 or self._speaks_of_language(s, spans)]
        found = []
        for span in filter_spans(spans):
            entry = self._keys[span.label]
            if kind is None or entry.kind == kind:
                found.append(FoundSkill(entry, span.text, span.start_char, span.end_char))
        return found

    def _in_list(self, doc: Doc, start: int, end: int, spans: list[Span]) -> bool:
        """Another hard skill next to it, with at most list punctuation or a conjunction
        between: "java, spring and hibernate", "java spring" (a tag list)."""
        for s in spans:
            if self._keys[s.label].kind != SkillKind.hard or start < s.end and s.start < end:
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
            and self._keys[s.label].category == _LANGUAGE_CATEGORY
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
        if any(self._keys[s.label].kind == SkillKind.hard for s in neighbours):
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


def _item_index(matcher: ReferenceMatcher) -> dict[str, SkillEntry]:
    """Every name, alias and exact form, lower-cased, with runs of spaces collapsed."""
    if matcher.item_index is not None:
        return matcher.item_index
    index: dict[str, SkillEntry] = {}
    for entry in matcher.entries:
        for form in (entry.name, *entry.aliases, *entry.exact, *entry.items):
            index.setdefault(" ".join(form.lower().split()), entry)
    matcher.item_index = index
    return index
