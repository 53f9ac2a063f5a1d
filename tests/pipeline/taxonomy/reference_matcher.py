"""The PhraseMatcher-based skill matcher that pipeline.taxonomy.matcher replaced, kept as the
reference the spaCy-free matcher must agree with (tests/pipeline/test_skill_matcher_equivalence.py).

This is pipeline/taxonomy/matcher.py as it was before the switch (spaCy's tokenizer and three
PhraseMatchers built from the taxonomy at start-up, about 2 s), with its tokenizer settings now
in scripts/build_skill_index.py. What the switch replaced (tokenizing and phrase matching) is
its own; the context rules are the production matcher's, inherited, since spaCy's tokens and
spans answer them the same way.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.models import SkillKind
from pipeline.taxonomy.gazetteer import SkillEntry, Taxonomy
from pipeline.taxonomy.matcher import _ITEM_EDGES, _LANGUAGE_CATEGORY, FoundSkill, SkillMatcher
from scripts.build_skill_index import make_nlp


class ReferenceMatcher(SkillMatcher):
    def __init__(self, taxonomy: Taxonomy) -> None:
        # Not SkillMatcher's: no compiled index, spaCy's own tokenizer and PhraseMatchers.
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
        spans = [s for s in spans if self._entry(s).category != _LANGUAGE_CATEGORY
                 or self._speaks_of_language(s, spans)]
        found = []
        for span in filter_spans(spans):
            entry = self._entry(span)
            if kind is None or entry.kind == kind:
                found.append(FoundSkill(entry, span.text, span.start_char, span.end_char))
        return found

    def _entry(self, span: Any) -> SkillEntry:
        return self._keys[span.label]


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
