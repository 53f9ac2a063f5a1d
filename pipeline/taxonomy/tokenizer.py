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
from itertools import accumulate, chain
from typing import overload

# A chunk of non-space characters with the single space that may follow it (spaCy gives that
# space to the token before it), or a run of other whitespace, which spaCy tokenises like any
# chunk. Python's `\s` is exactly `str.isspace()`, the test spaCy uses.
_RUNS = re.compile(r"\S+ ?|\s+")
# Distinct runs ("Python, ", "(k8s)") whose tokens are remembered; past it the caches are
# cleared, so memory stays bounded over any number of postings.
_CACHE_SIZE = 100_000


class Tokenizer:
    def __init__(self, prefix: str, suffix: str, infix: str) -> None:
        self._prefix = re.compile(prefix).search
        self._suffix = re.compile(suffix).search
        self._infix: Callable[[str], Iterator[re.Match[str]]] = re.compile(infix).finditer
        # a run → its tokens, their lower case, and their widths (a token's length, plus one
        # for the space that follows the run's last token)
        self._words: dict[str, tuple[str, ...]] = {}
        self._lowers: dict[str, tuple[str, ...]] = {}
        self._widths: dict[str, tuple[int, ...]] = {}

    def __call__(self, text: str) -> Doc:
        # Runs are tokenised once per process and looked up with C-level iteration: a posting's
        # thousand runs are nearly all seen before.
        runs = _RUNS.findall(text)
        words = self._words
        new = set(runs).difference(words)
        if new:
            if len(words) + len(new) > _CACHE_SIZE:
                words.clear()
                self._lowers.clear()
                self._widths.clear()
                new = set(runs)
            for run in new:
                self._learn(run)
        widths = chain.from_iterable(map(self._widths.__getitem__, runs))
        return Doc(text, list(chain.from_iterable(map(words.__getitem__, runs))),
                   list(chain.from_iterable(map(self._lowers.__getitem__, runs))),
                   [0, *accumulate(widths)][:-1])

    def _learn(self, run: str) -> None:
        spaced = len(run) > 1 and run[-1] == " " and not run[-2].isspace()
        chunk = run[:-1] if spaced else run
        pieces = self._split(chunk)
        widths = [len(word) for word in pieces]
        widths[-1] += spaced
        self._words[run] = pieces
        self._lowers[run] = tuple(word.lower() for word in pieces)
        self._widths[run] = tuple(widths)

    def _split(self, chunk: str) -> tuple[str, ...]:
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
        return (*prefixes, *self._split_infixes(string), *reversed(suffixes))

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
    __slots__ = ("doc", "i")

    def __init__(self, doc: Doc, i: int) -> None:
        self.doc = doc
        self.i = i

    @property
    def text(self) -> str:
        return self.doc.words[self.i]

    @property
    def idx(self) -> int:
        """Character offset into the document's text."""
        return self.doc.starts[self.i]

    @property
    def lower_(self) -> str:
        return self.doc.lowers[self.i]

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    @property
    def is_punct(self) -> bool:
        return is_punct(self.text)


class Doc:
    """Tokens as parallel lists; a Token is made only when a rule looks at one."""

    __slots__ = ("text", "words", "lowers", "starts")

    def __init__(self, text: str, words: list[str], lowers: list[str],
                 starts: list[int]) -> None:
        self.text = text
        self.words = words
        self.lowers = lowers
        self.starts = starts

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> Tokens: ...

    def __getitem__(self, i: int | slice) -> Token | Tokens:
        if isinstance(i, slice):  # spaCy clamps a slice to the document as range() does
            return Tokens(self, range(len(self.words))[i])
        if i < 0:
            i += len(self.words)
        if not 0 <= i < len(self.words):
            raise IndexError(i)
        return Token(self, i)

    def __iter__(self) -> Iterator[Token]:
        return (Token(self, i) for i in range(len(self.words)))


class Tokens:
    """A slice of a Doc, like spaCy's Span: its length is known without making its tokens."""

    __slots__ = ("doc", "indices")

    def __init__(self, doc: Doc, indices: range) -> None:
        self.doc = doc
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[Token]:
        return (Token(self.doc, i) for i in self.indices)


@dataclass(eq=False, slots=True)  # compared by identity, as the matcher's rules expect
class Span:
    doc: Doc
    start: int  # token indices, end exclusive
    end: int
    label: int  # the entry's index in the skill index

    @property
    def start_char(self) -> int:
        return self.doc.starts[self.start]

    @property
    def end_char(self) -> int:
        return self.doc.starts[self.end - 1] + len(self.doc.words[self.end - 1])

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
