"""spaCy's tokenizer rules in plain Python, and the few Doc/Token/Span features the matcher uses.

The skill matcher was built on spaCy (a blank English tokenizer with extra infixes, and
PhraseMatchers). Importing spaCy and building those matchers cost seconds at every start of the
command line, so the matcher now runs on this module and an index compiled once from spaCy
(pipeline/data/skill_index.json, scripts/build_skill_index.py). The index carries the prefix,
suffix and infix expressions of that spaCy tokenizer; `Tokenizer` applies them in the order
spaCy's `Tokenizer._tokenize_affixes`, `_split_affixes` and `_attach_tokens` (spaCy 3.8) do, for
a tokenizer without special cases, `token_match` or `url_match`, so the tokens are spaCy's
(tests/pipeline/test_skill_matcher_equivalence.py compares them on real postings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

# Whitespace and non-whitespace runs: Python's `\s` is exactly `str.isspace()`, the test spaCy
# uses to cut a text into chunks.
_RUNS = re.compile(r"\s+|\S+")
# Distinct chunks ("Python,", "(k8s)") whose tokens are remembered; past it the cache is cleared
# so memory stays bounded over any number of postings.
_CACHE_SIZE = 100_000

Pieces = tuple[tuple[int, str], ...]  # (offset in the chunk, token text)


class Tokenizer:
    def __init__(self, prefix: str, suffix: str, infix: str) -> None:
        self._prefix = re.compile(prefix).search
        self._suffix = re.compile(suffix).search
        self._infix: Callable[[str], Iterator[re.Match[str]]] = re.compile(infix).finditer
        self._cache: dict[str, Pieces] = {}

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        starts: list[int] = []
        position = 0  # where the next chunk may start: a single space after a word is skipped
        for run in _RUNS.finditer(text):
            start, end = run.span()
            if start < position:
                start = position
            if start == end:
                continue
            chunk = text[start:end]
            pieces = self._cache.get(chunk)
            if pieces is None:
                pieces = self._split(chunk)
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.clear()
                self._cache[chunk] = pieces
            for offset, word in pieces:
                words.append(word)
                starts.append(start + offset)
            if text[end:end + 1] == " ":
                position = end + 1  # the space belongs to the word before it (spaCy's `spacy`)
        return Doc(text, words, starts)

    def _split(self, chunk: str) -> Pieces:
        """One chunk's tokens: prefixes, then the middle split at infixes, then suffixes."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = chunk
        last_size = -1
        while string and len(string) != last_size:
            last_size = len(string)
            pre_len = self._affix_length(self._prefix, string)
            suf_len = self._affix_length(self._suffix, string[pre_len:])
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append(string[:pre_len])
                suffixes.append(string[-suf_len:])
                string = string[pre_len:-suf_len]
            elif pre_len:
                prefixes.append(string[:pre_len])
                string = string[pre_len:]
            elif suf_len:
                suffixes.append(string[-suf_len:])
                string = string[:-suf_len]
        words = [*prefixes, *self._split_infixes(string), *reversed(suffixes)]
        pieces = []
        offset = 0
        for word in words:
            pieces.append((offset, word))
            offset += len(word)
        return tuple(pieces)

    @staticmethod
    def _affix_length(search: Callable[[str], re.Match[str] | None], string: str) -> int:
        match = search(string)
        return match.end() - match.start() if match is not None else 0

    def _split_infixes(self, string: str) -> list[str]:
        if not string:
            return []
        words = []
        start = 0
        for match in self._infix(string):
            infix_start, infix_end = match.span()
            if infix_start == 0:
                continue  # spaCy never splits before the first character
            if infix_start != start:
                words.append(string[start:infix_start])
            if infix_start != infix_end:
                words.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            words.append(string[start:])
        return words


@lru_cache(maxsize=65_536)
def is_punct(text: str) -> bool:
    """spaCy's IS_PUNCT: every character is in a Unicode punctuation category."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class Token:
    __slots__ = ("doc", "i", "text", "idx")

    def __init__(self, doc: Doc, i: int, text: str, idx: int) -> None:
        self.doc = doc
        self.i = i
        self.text = text
        self.idx = idx  # character offset into the document's text

    @property
    def lower_(self) -> str:
        return self.text.lower()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    @property
    def is_punct(self) -> bool:
        return is_punct(self.text)


class Doc:
    __slots__ = ("text", "tokens", "words", "lowers")

    def __init__(self, text: str, words: list[str], starts: list[int]) -> None:
        self.text = text
        self.words = words
        self.lowers = [word.lower() for word in words]
        self.tokens = [Token(self, i, word, start)
                       for i, (word, start) in enumerate(zip(words, starts, strict=True))]

    def __len__(self) -> int:
        return len(self.tokens)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        return self.tokens[i]  # spaCy clamps a slice to the document as a list does


@dataclass(eq=False, slots=True)  # compared by identity, as the matcher's rules expect
class Span:
    doc: Doc
    start: int  # token indices, end exclusive
    end: int
    label: int  # the entry's index in the skill index

    @property
    def start_char(self) -> int:
        return self.doc.tokens[self.start].idx

    @property
    def end_char(self) -> int:
        last = self.doc.tokens[self.end - 1]
        return last.idx + len(last.text)

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]


def filter_spans(spans: Iterable[Span]) -> list[Span]:
    """spaCy's `util.filter_spans`: the longest (then the first) of overlapping spans wins."""
    ordered = sorted(spans, key=lambda span: (span.end - span.start, -span.start), reverse=True)
    result = []
    seen: set[int] = set()
    for span in ordered:
        if span.start not in seen and span.end - 1 not in seen:
            result.append(span)
            seen.update(range(span.start, span.end))
    return sorted(result, key=lambda span: span.start)
