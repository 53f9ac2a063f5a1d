"""Culture values and tone: the shortcuts that skip a scan (the text holds none of a pattern's
starts or pieces) give what scanning the whole text with each pattern gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import Tone
from pipeline.parse import posting_facts
from pipeline.parse.posting_facts import culture_values, tone_of

_PATTERNS = {name: pattern for name, (pattern, _) in posting_facts._CULTURE.items()}


def _culture_by_scanning(text: str) -> list[str]:
    return [name for name, pattern in _PATTERNS.items() if re.search(pattern, text, re.I)]


def _tone_by_scanning(text: str) -> Tone:
    words = posting_facts._WORDS.findall(text.lower())
    casual = (text.count("!") + len(posting_facts._EMOJI.findall(text))
              + sum(w in posting_facts._CASUAL_WORDS for w in words))
    formal = len(posting_facts._FORMAL.findall(text))
    if casual >= 3 and casual > 2 * formal:
        return Tone.casual
    if formal >= 2 and casual <= 1:
        return Tone.formal
    return Tone.neutral


# Text made of what the patterns match (in any case), words that start like them and do not
# match ("owner", "developer", "workflow"), the letters that match ASCII ones only when case
# is ignored, and filler.
_PIECES = st.one_of(
    *(st.from_regex(re.compile(p, re.I), fullmatch=True) for p in _PATTERNS.values()),
    st.from_regex(posting_facts._FORMAL, fullmatch=True),
    st.sampled_from(["owner", "developer", "workflow", "Work ethic", "customers", "craftsman",
                     "remotely", "growths", "the candidates", "SHALL", "you'll", "fun!", "🚀",
                     "\u017fhall", "\u212aind", "TEAMWORK", "own the", "Own It"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC-.,\n", max_size=12),
)
_TEXTS = st.lists(_PIECES, max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_culture_values_are_those_a_full_scan_finds(text: str) -> None:
    assert culture_values(text) == _culture_by_scanning(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_tone_is_what_a_full_scan_gives(text: str) -> None:
    assert tone_of(text) == _tone_by_scanning(text)


def test_each_value_is_found_in_any_case() -> None:
    text = ("We value OWNERSHIP, Teamwork and transparency; an Equal Opportunity employer "
            "with a Development Budget, a work-life balance, a HYBRID setup and integrity.")
    assert culture_values(text) == [
        "ownership", "collaboration", "transparency", "diversity and inclusion",
        "learning and growth", "work-life balance", "remote-friendly", "integrity"]
    assert culture_values("we \u212anow the\u017fe: \u017fhall own it") == ["ownership"]
