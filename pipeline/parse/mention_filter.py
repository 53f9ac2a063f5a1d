"""Which hard-skill mentions a posting states as skills, by a logistic model learned from
SkillSpan's expert annotations (scripts/train_mention_filter.py writes
pipeline/data/mention_filter.json).

The matcher finds every place a skill's name appears; annotators, like a recruiter, count only
those where the posting speaks of the skill: not "cloud" in "a leading cloud company", not the
industry tags and company blurb, yes the same word in a requirement. The signals are the
mention's own (the skill, its section, case and length, the words beside it, the words of its
line, the line above it, list punctuation) and the posting's (how often the skill comes, which
mention this is). A mention whose probability is under the threshold the training chose (by
cross-validation on the train split only) is dropped.

Only mentions outside the sections that ask for skills are judged (`JUDGED_SECTIONS`: the
company blurb, the benefits, and text under no heading when the posting has headings): what a
posting lists under its requirements, duties or nice-to-haves, and its title, stays whatever the
model says, and so does every mention of a posting without headings, where nothing tells the
requirements from the rest. Applied to every mention, the model dropped "wound care" from a
nurse's duties and "ML" from a data scientist's (SkillSpan's annotators left out some skills of
professions its train split barely holds), and the example postings with their headings
removed each lost a skill they ask for ("dbt", "Patient assessment"): a user reads a
requirement as a requirement.

Pure Python over a sparse dict of weights: a few microseconds a mention, and nothing to load
but a JSON file of a few thousand weights.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.models import Section
from pipeline.parse.sections import PostingLine
from pipeline.taxonomy.matcher import FoundSkill

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "mention_filter.json"

JUDGED_SECTIONS = frozenset({Section.other, Section.about, Section.benefits})

_WORD = re.compile(r"[A-Za-z][A-Za-z+#.-]*")
_CAPITAL_BEFORE = re.compile(r"[A-Z][\w-]*\s+$")
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_PAREN_AFTER = re.compile(r"\s*\(")
_PAREN_BEFORE = re.compile(r"\(\s*$")
_LIST_AFTER = re.compile(r"\s*[,/]")
_LIST_BEFORE = re.compile(r"[,/]\s*$")
_COORD_BEFORE = re.compile(r"\b(?:and|or)\s+$")
_COORD_AFTER = re.compile(r"\s+(?:and|or)\b")


@dataclass(frozen=True, slots=True)
class PlacedMention:
    """A hit with where it stands: its section (after the title and preferred-cue rules of
    pipeline.parse.posting) and its line's index among the posting's non-empty lines."""

    hit: FoundSkill
    section: Section
    line_index: int


@dataclass(frozen=True)
class MentionModel:
    weights: dict[str, float]
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> MentionModel | None:
    """The trained model; None when the file is absent (a checkout that has not built it keeps
    every mention)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return MentionModel(weights=data["weights"], threshold=float(data["threshold"]))


def _words(text: str) -> list[str]:
    """Lower-cased words; a sentence's full stop is not part of its last word ("daily.")."""
    return [w.rstrip(".-") for w in _WORD.findall(text.lower())]


def _case(text: str) -> str:
    if text.isupper():
        return "upper"
    if text.islower():
        return "lower"
    if text[:1].isupper() and text[1:].islower():
        return "title"
    return "mixed"


def mention_features(
    text: str,
    lines: Sequence[PostingLine],
    mentions: Sequence[PlacedMention],
    wanted: Sequence[bool] | None = None,
) -> list[list[str]]:
    """The features of each mention, in order: binary features named as strings (none for a
    mention `wanted` leaves out; the counts over the posting still include it)."""
    per_skill = Counter(m.hit.entry.name for m in mentions)
    seen: Counter[str] = Counter()
    result: list[list[str]] = []
    line_words: dict[int, list[str]] = {}  # by line index: a line often holds several mentions
    for number, mention in enumerate(mentions):
        if wanted is not None and not wanted[number]:
            seen[mention.hit.entry.name] += 1
            result.append([])
            continue
        hit, section = mention.hit, mention.section
        line = lines[mention.line_index]
        name = hit.entry.name
        surface = hit.text
        before = text[line.start:hit.start]
        after = text[hit.end:line.end]
        case = _case(surface)
        words_before = _words(before)[-2:]
        words_after = _words(after)[:2]
        features = [
            "bias",
            f"skill={name.lower()}",
            f"sec={section.value}",
            f"cat={hit.entry.category or ''}",
            f"case={case}",
            f"ntok={min(3, len(surface.split()))}",
            "repeat" if seen[name] else "first",
            f"nm={min(4, per_skill[name])}",
            f"lineno={mention.line_index}" if mention.line_index < 12 else "lineno=late",
            "col0" if hit.start == line.start else "colN",
            f"linelen={min(6, len(line.text.split()) // 4)}",
            f"commas={min(3, line.text.count(','))}",
            f"sec_case={section.value}_{case}",
            f"capctx={int(bool(_CAPITAL_BEFORE.search(before)))}"
            f"{int(bool(_CAPITAL_AFTER.match(after)))}",
        ]
        seen[name] += 1
        features += [f"b{i}={w}" for i, w in enumerate(reversed(words_before))]
        features += [f"a{i}={w}" for i, w in enumerate(words_after)]
        if "-" in surface and surface.islower():
            features.append("slug")  # a tag: "amazon-web-services"
        if line.text.rstrip().endswith("."):
            features.append("sentence")
        if mention.line_index:
            above = lines[mention.line_index - 1].text.strip().lower()
            if above.endswith(":") and len(above) < 40:
                features.append(f"prevlabel={above}")  # "Industry:", "Technologies:"
        if _PAREN_AFTER.match(after):
            features.append("paren_after")
        if _PAREN_BEFORE.search(before):
            features.append("paren_before")
        if _LIST_AFTER.match(after) or _LIST_BEFORE.search(before):
            features.append("listctx")
        if _COORD_BEFORE.search(before) or _COORD_AFTER.match(after):
            features.append("coord")
        if mention.line_index < 20 and line.text.islower():
            features.append("tagline")
        if mention.line_index not in line_words:
            line_words[mention.line_index] = [f"lw={w}" for w in sorted(set(_words(line.text)))]
        features += line_words[mention.line_index]
        result.append(features)
    return result


def stated(
    text: str, lines: Sequence[PostingLine], mentions: Sequence[PlacedMention]
) -> list[bool]:
    """For each hard-skill mention, whether the posting states it as a skill: True in a
    section that asks for skills, else the model's call (True for all without a model)."""
    model = load_model()
    if model is None:
        return [True] * len(mentions)
    judged = judged_mentions(lines, mentions)
    if not any(judged):
        return [True] * len(mentions)
    features = mention_features(text, lines, mentions, judged)
    return [not judge or model.probability(f) >= model.threshold
            for judge, f in zip(judged, features, strict=True)]


def judged_mentions(lines: Sequence[PostingLine], mentions: Sequence[PlacedMention]) -> list[bool]:
    """Which mentions the model decides: those in `JUDGED_SECTIONS`, less the ones under no
    heading in a posting without headings."""
    headed = any(line.heading for line in lines)
    return [m.section in JUDGED_SECTIONS and (headed or m.section != Section.other)
            for m in mentions]
