"""Hard skills no taxonomy lists ("production planning", "Bayesian methods"), found by a
sequence tagger learned from SkillSpan's `knowledge` spans (scripts/train_skill_tagger.py
writes pipeline/data/skill_tagger.json).

A linear-chain CRF labels each token of a line B, I or O. Its features are cheap on purpose:
the word, its shape and last three letters, whether it is a stop word, the words beside it,
whether the extractor already found a skill there or beside it (and its kind), the line's
section, and whether the line is a bullet or a sentence. It is trained with CRFsuite and
shipped as its weights, which `TaggerModel` decodes in plain Python (the same labels as
CRFsuite on every train line; the trainer checks), so the pipeline needs no extra package.

A tagged phrase counts as a hard skill, named by its surface form, where it overlaps none of
the extractor's hits, once cleaned for a user's eyes (`clean_span`): stop words and
punctuation trimmed from its edges; dropped when punctuation other than "&" or "/" stands
inside it ("tools - jules"), when it names a degree (the education fields carry those; a hard
skill "Master's degree" would count as one the resume lacks), when it is one lower-case word
("development", "practical", "production"), longer than five words (a clause rather than a
name), or ends in a role or unit noun ("data scientist") or in a noun of the work's setting
("the wind industry", "a publication record"). Lines of the title, the company blurb
and the benefits are not tagged.

The penalties, the sections and the cleaning were chosen by 5-fold cross-validation over
SkillSpan's train postings, and by reading what it adds (docs/benchmarks.md, "Extraction").
The weights are a JSON file of about 230 KB (about 10 ms to load); tagging costs about 1 ms
for a posting of 4,500 characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.models import Section, SkillKind
from pipeline.parse.duty_verbs import DUTY_VERBS
from pipeline.parse.extraction_filters import ROLE_NOUNS
from pipeline.parse.posting_facts import degree_words
from pipeline.parse.sections import BULLET, PostingLine
from pipeline.parse.stop_words import STOP_WORDS
from pipeline.taxonomy.gazetteer import SkillEntry
from pipeline.taxonomy.matcher import FoundSkill

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "skill_tagger.json"
TAGGER_CATEGORY = "Tagged phrases"
UNTAGGED_SECTIONS = frozenset({Section.title, Section.about, Section.benefits})
ENABLED = True  # scripts/train_skill_tagger.py switches it off to read the extractor alone

# A word with its inner joints ("node.js", "bs/ba", "R&D", "C++"), a placeholder ("<ADDRESS>",
# SkillSpan's anonymisation), or any other single character.
TOKEN = re.compile(r"<[A-Z]+>|[A-Za-z0-9]+(?:[.+#'’/&-][A-Za-z0-9]+)*[+#]*|\S")
_INNER_PUNCT = frozenset("&/")
MAX_WORDS = 5
_ROLE_END = re.compile(r"\b(?:" + "|".join(ROLE_NOUNS) + r")(?:e?s)?$", re.IGNORECASE)
# Nouns that end a phrase naming where or among what the work happens, not a skill: "the
# wind industry", "the Scandinavian market", "the business landscape", "a publication record",
# "a technical field", "the financial sector", "support tasks".
# (Singular "market" and "record" only: "capital markets" and "medical records" can be skills.)
_CONTEXT_END = re.compile(r"\b(?:industr(?:y|ies)|market|landscapes?|record|fields?|sectors?"
                          r"|tasks)$", re.IGNORECASE)
_START = ("w-1=<s>",)
_END = ("w+1=</s>",)

Token = tuple[int, int, str]  # start, end, text


_CLASSES = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                          **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"},
                          **{c: "d" for c in "0123456789"}})
_REPEATS = re.compile(r"(.)\1+")


def _shape(word: str) -> str:
    """"Xxx" for "Python", "x.x" for "node.js", "XdX" for "K8S": character classes, runs
    collapsed, at most six."""
    if word.isascii():
        return _REPEATS.sub(r"\1", word.translate(_CLASSES))[:6]
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A word's own features, and what the words after and before it see of it."""
    lower = word.lower()
    own: tuple[str, ...] = (f"w={lower}", f"s={_shape(word)}", f"x3={lower[-3:]}")
    if lower in STOP_WORDS:
        own += ("stop",)
    return own, (f"w-1={lower}",), (f"w+1={lower}",)


def tokens_of(text: str, start: int, end: int) -> list[Token]:
    return [(*m.span(), m.group()) for m in TOKEN.finditer(text, start, end)]


def known_tags(text: str, found: Sequence[FoundSkill]) -> dict[int, str]:
    """For the first character of every token inside a hit: B-H/I-H (hard) or B-S/I-S."""
    tags: dict[int, str] = {}
    for hit in found:
        kind = "H" if hit.kind == SkillKind.hard else "S"
        prefix = "B-"
        for m in TOKEN.finditer(text, hit.start, hit.end):
            tags[m.start()] = prefix + kind
            prefix = "I-"
    return tags


def line_features(line: PostingLine, tokens: Sequence[Token], known: dict[int, str],
                  section: Section) -> list[tuple[str, ...]]:
    """The features of each token of one line (see the module)."""
    words = [_word(w) for _, _, w in tokens]
    common = tuple(_common_features(line, section))
    tags = [known.get(s) for s, _, _ in tokens]
    n = len(tokens)
    result = []
    for i in range(n):
        f = words[i][0] + common + (words[i - 1][1] if i else _START) + (
            words[i + 1][2] if i + 1 < n else _END)
        result.append(f + tuple(_known_features(tags, i)))
    return result


def _common_features(line: PostingLine, section: Section) -> list[str]:
    """The features every token of a line has: the bias, the section, bullet, sentence."""
    common = ["bias", f"sec={section.value}"]
    if BULLET.match(line.text):
        common.append("bullet")
    if line.text.endswith("."):
        common.append("sentence")
    return common


def _known_features(tags: Sequence[str | None], i: int) -> list[str]:
    """The extractor's hits at token i and beside it (`known_tags`' labels)."""
    names = []
    if tags[i]:
        names.append(f"g={tags[i]}")
    if i and tags[i - 1]:
        names.append(f"g-1={tags[i - 1]}")
    if i + 1 < len(tags) and tags[i + 1]:
        names.append(f"g+1={tags[i + 1]}")
    return names


def tagged_lines(
    text: str, lines: Sequence[PostingLine], title: PostingLine | None
) -> list[tuple[PostingLine, Section, list[Token]]]:
    """The lines the tagger reads, with the section it sees and their tokens."""
    result = []
    for line in lines:
        section = Section.title if line is title else line.section
        if section in UNTAGGED_SECTIONS:
            continue
        tokens = tokens_of(text, line.start, line.end)
        if tokens:
            result.append((line, section, tokens))
    return result


def spans_of(labels: Sequence[str], tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges [first, last] of the B/I runs; an I after O starts a span too."""
    spans: list[tuple[int, int]] = []
    first = -1
    for i, label in enumerate(labels):
        if label == "B" or (label == "I" and first < 0):
            if first >= 0:
                spans.append((first, i - 1))
            first = i
        elif label == "O" and first >= 0:
            spans.append((first, i - 1))
            first = -1
    if first >= 0:
        spans.append((first, len(labels) - 1))
    return spans


def clean_span(text: str, tokens: Sequence[Token]) -> tuple[int, int] | None:
    """The character range a user sees for a tagged phrase, or None to drop it (see the
    module): edges trimmed of stop words and punctuation; no punctuation inside but "&" and
    "/" (nor a placeholder), no degree, not one lower-case word, at most MAX_WORDS words, no
    role."""
    first, last = 0, len(tokens) - 1
    # A duty's verb before what it acts on ("lead technical design reviews"); lower case
    # only, since "Lead" may start a name, and only before two words or more: "design
    # patterns" and "lead scoring" are names themselves.
    while first <= last and (_edge_junk(tokens[first][2]) or (
            tokens[first][2] in DUTY_VERBS and last - first >= 2)):
        first += 1
    while last >= first and _edge_junk(tokens[last][2]):
        last -= 1
    if first > last:
        return None
    kept = tokens[first:last + 1]
    if any(not w[0].isalnum() and w not in _INNER_PUNCT for _, _, w in kept):
        return None  # also a placeholder, "<ADDRESS>"
    start, end = kept[0][0], kept[-1][1]
    if any(degree_words(text[start:end])):
        return None
    lone = kept[0][2]
    if len(kept) == 1 and ((lone.islower() and lone.isalpha()) or lone.lower() in STOP_WORDS):
        return None  # a lone common word: "development", "practical", "production", "US";
        # not a lower-case name with a digit or a sign in it: "6sense", "d3.js"
    if len(kept) > MAX_WORDS:
        return None  # a clause rather than a skill's name
    if _ROLE_END.search(text, start, end):
        return None  # "data scientist": a role
    if _CONTEXT_END.search(text, start, end):
        return None  # "the wind industry": where the work happens
    return start, end


def _edge_junk(word: str) -> bool:
    """Punctuation, or a stop word other than an acronym ("IT security" keeps its "IT"; a
    lone "US" is dropped as a common word)."""
    lower = word.lower()
    return (not word[0].isalnum() or lower in ("etc", "e.g")
            or lower in STOP_WORDS and not (word.isupper() and len(word) > 1))


LABELS = ("B", "I", "O")
Scores = tuple[float, float, float]  # one per label, in LABELS order
_ZERO: Scores = (0.0, 0.0, 0.0)


class TaggerModel:
    """The CRF's weights (an attribute's score for each label, and the label transitions) and
    Viterbi decoding over them, in plain Python: a line's scores are sums of per-word parts
    cached across postings, and a line where no token leans towards B or I is all O without
    decoding (see __init__)."""

    def __init__(self, weights: dict[str, list[float]], transitions: dict[str, float]) -> None:
        self.weights = {name: (w[0], w[1], w[2]) for name, w in weights.items()}
        self.trans = [[transitions.get(f"{a}>{b}", 0.0) for b in LABELS] for a in LABELS]
        b, i, o = 0, 1, 2
        stay = self.trans[o][o]
        # What a phrase inside a line pays for its transitions against staying O: entering it
        # (O to B or I), leaving it (B or I to O), and each step within it (at most 0 when no
        # transition beats O to O). A line where no run of tokens leans towards B or I by more
        # than that is all O: `tag` then skips the decoding.
        self.entry = max(self.trans[o][b], self.trans[o][i]) - stay
        self.exit = max(self.trans[b][o], self.trans[i][o]) - stay
        self.inside = max(0.0, *(self.trans[x][y] - stay for x in (b, i) for y in (b, i)))
        self.penalised = self.entry <= 0 and self.exit <= 0 and self.inside == 0
        self.word = lru_cache(maxsize=50_000)(self._word_scores)
        # stand-ins for the words beyond the line's ends: only their w-1 and w+1 parts count
        self.edges = ((0.0,) * 3 + self._sum(_START) + (0.0,) * 3,
                      (0.0,) * 6 + self._sum(_END))

    def _sum(self, names: Sequence[str]) -> Scores:
        b = i = o = 0.0
        for name in names:
            w = self.weights.get(name)
            if w is not None:
                b, i, o = b + w[0], i + w[1], o + w[2]
        return b, i, o

    def _word_scores(self, word: str) -> tuple[float, ...]:
        """The word's own scores, then what the word after it sees (w-1), then what the word
        before it sees (w+1): nine numbers."""
        own, before, after = _word(word)
        return (*self._sum(own), *self._sum(before), *self._sum(after))

    def tag(self, line: PostingLine, tokens: Sequence[Token], known: dict[int, str],
            section: Section) -> list[str]:
        """The labels the CRF gives the line's tokens (what CRFsuite's Viterbi gives for
        line_features)."""
        n = len(tokens)
        word = self.word
        parts = [word(w) for _, _, w in tokens]
        cb, ci, co = self._sum(_common_features(line, section))
        scores = [(q[0] + p[3] + r[6] + cb, q[1] + p[4] + r[7] + ci, q[2] + p[5] + r[8] + co)
                  for p, q, r in zip([self.edges[0], *parts], parts, [*parts[1:], self.edges[1]],
                                     strict=False)]
        tags = [known.get(s) for s, _, _ in tokens]
        if any(tags):
            for k in range(n):
                names = _known_features(tags, k)
                if names:
                    gb, gi, go = self._sum(names)
                    b, i, o = scores[k]
                    scores[k] = (b + gb, i + gi, o + go)
        leans = [(b if b > i else i) - o for b, i, o in scores]
        if self.penalised and max(leans) < 0:
            return ["O"] * n  # every run of tokens loses against all O
        entry, leave, inside = self.entry, self.exit, self.inside
        run = best = -1e9  # the best gain of a run ending here, and of any run (Kadane)
        for k, lean in enumerate(leans):
            run += inside
            fresh = entry if k else 0.0
            run = (run if run > fresh else fresh) + lean
            gain = run + leave if k + 1 < n else run
            if gain > best:
                best = gain
        if best < 0:
            return ["O"] * n
        return self._viterbi(scores)

    def _viterbi(self, scores: list[Scores]) -> list[str]:
        """The best label sequence, unrolled for three labels (B, I, O): as a loop over them it
        took a quarter more of `tag`'s time, which every line of every ranked posting pays."""
        (bb, bi, bo), (ib, ii, io), (ob, oi, oo) = self.trans
        sb, si, so = scores[0]
        back: list[tuple[int, int, int]] = []
        for eb, ei, eo in scores[1:]:
            # into B
            x, y, z = sb + bb, si + ib, so + ob
            if x >= y and x >= z:
                kb, nb = 0, x + eb
            elif y >= z:
                kb, nb = 1, y + eb
            else:
                kb, nb = 2, z + eb
            # into I
            x, y, z = sb + bi, si + ii, so + oi
            if x >= y and x >= z:
                ki, ni = 0, x + ei
            elif y >= z:
                ki, ni = 1, y + ei
            else:
                ki, ni = 2, z + ei
            # into O
            x, y, z = sb + bo, si + io, so + oo
            if x >= y and x >= z:
                ko, no = 0, x + eo
            elif y >= z:
                ko, no = 1, y + eo
            else:
                ko, no = 2, z + eo
            back.append((kb, ki, ko))
            sb, si, so = nb, ni, no
        label = 0 if sb >= si and sb >= so else 1 if si >= so else 2
        path = [label]
        for step in reversed(back):
            label = step[label]
            path.append(label)
        return [LABELS[y] for y in reversed(path)]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> TaggerModel | None:
    """The trained tagger; None when the file is absent (the extractor then works alone)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return TaggerModel(data["weights"], data["transitions"])


def find_phrases(
    text: str, lines: Sequence[PostingLine], title: PostingLine | None,
    found: Sequence[FoundSkill],
) -> list[FoundSkill]:
    """Hard skills the tagger finds where the extractor found nothing (`found`: its hits)."""
    model = load_model() if ENABLED else None
    if model is None:
        return []
    known = known_tags(text, found)
    taken = sorted((hit.start, hit.end) for hit in found)
    result = []
    for line, section, tokens in tagged_lines(text, lines, title):
        labels = model.tag(line, tokens, known, section)
        for start, end in line_phrases(text, labels, tokens, taken):
            surface = text[start:end]
            entry = SkillEntry(name=surface, kind=SkillKind.hard, category=TAGGER_CATEGORY,
                               source="tagger", aliases=(), exact=(surface,))
            result.append(FoundSkill(entry, surface, start, end))
    return result


def line_phrases(text: str, labels: Sequence[str], tokens: Sequence[Token],
                 taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The character ranges of a line's tagged phrases, cleaned (`clean_span`), that overlap
    none of `taken` (the extractor's hits)."""
    if "B" not in labels and "I" not in labels:
        return []
    result = []
    for first, last in spans_of(labels, tokens):
        for part_first, part_last in _split_at_or(tokens, first, last):
            span = clean_span(text, tokens[part_first:part_last + 1])
            if span is not None and not _overlaps(taken, *span):
                result.append(span)
    return result


def _split_at_or(tokens: Sequence[Token], first: int, last: int) -> list[tuple[int, int]]:
    """A tagged run cut at each "or": no skill's name holds one, and "Demandbase or 6sense"
    names two products, offered as alternatives (see pipeline.parse.alternatives)."""
    parts, start = [], first
    for i in range(first, last + 1):
        if tokens[i][2].lower() == "or":
            if i > start:
                parts.append((start, i - 1))
            start = i + 1
    if start <= last:
        parts.append((start, last))
    return parts


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans if s < end)
