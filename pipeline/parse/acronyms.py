"""Acronyms a posting defines in passing: "account-based marketing (ABM)", "EHR (Electronic
Health Records)". A skill the posting names by one form is named by the other too, so a resume
that says "account-based marketing" evidences the ABM the posting asks for, and one that says
"EHR" the electronic health records.

A definition is a parenthesis right after a phrase, where one side is an acronym (two to eight
letters or digits, at least two of them capitals: "ABM", "EHRs", "DoD") and the other side's
words give its letters in order: each word its initial, a hyphenated word its initial or each
part's ("account-based" gives A or AB), and a small word ("of", "and") its initial or nothing
("Department of Defense" for DoD). The phrase is the fewest words before the parenthesis that
spell the acronym, so "run account-based marketing (ABM)" defines "account-based marketing".
"""

from __future__ import annotations

import re
from functools import lru_cache

_ACRONYM = re.compile(r"[A-Za-z0-9&]{2,8}")
_WORD = re.compile(r"[A-Za-z0-9][\w'’]*(?:-[\w'’]+)*")
_SMALL = frozenset({"of", "and", "&", "for", "the", "in", "on", "to", "a", "an", "with"})
# What a parenthesis holds, on one line, and the word right before it.
_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
_WORD_BEFORE = re.compile(r"(?<![\w-])([A-Za-z0-9&]{2,8})\s*$")
_LOOK_BACK = 120  # characters before "(ABM)" that may hold its long form


def defined_forms(text: str) -> dict[str, list[str]]:
    """Each form a definition in `text` names (lowercased, spaces collapsed), mapped to the
    other forms it stands for there, as written."""
    pairs: dict[str, list[str]] = {}

    def add(short: str, long: str) -> None:
        for key, other in ((short, long), (long, short)):
            found = pairs.setdefault(" ".join(key.lower().split()), [])
            if other not in found:
                found.append(other)

    if "(" not in text:
        return pairs
    for match in _PAREN.finditer(text):  # a posting has a few dozen parentheses at most
        inside = match.group(1).strip()
        if _is_acronym(inside):  # "account-based marketing (ABM)"
            start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - _LOOK_BACK)
            before = text[start:match.start()]
            before = before[max(before.rfind("("), before.rfind(")")) + 1:]
            long = _spelling_phrase(before, _letters(inside))
            if long:
                add(inside, long)
            continue
        word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if word is not None and _is_acronym(word.group(1)) and len(inside) >= 3:
            words = _WORD.findall(inside)  # "ABM (account-based marketing)"
            if words and _spells(tuple(w.lower() for w in words), _letters(word.group(1))):
                add(word.group(1), " ".join(words))
    return pairs


def _is_acronym(token: str) -> bool:
    return bool(_ACRONYM.fullmatch(token)) and sum(c.isupper() for c in token) >= 2


def _letters(acronym: str) -> str:
    letters = acronym.lower().replace("&", "")
    # A plural ("EHRs", "KPIs") spells its singular.
    return letters[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else letters


def _spelling_phrase(before: str, letters: str) -> str | None:
    """The fewest words at the end of `before` that spell `letters`, as written."""
    words = list(_WORD.finditer(before))
    for count in range(1, min(len(words), len(letters) + 3) + 1):
        chosen = words[-count:]
        if chosen[0].group(0).lower() in _SMALL:
            continue  # a definition starts on a word that gives its letter
        if _spells(tuple(w.group(0).lower() for w in chosen), letters):
            return before[chosen[0].start():chosen[-1].end()]
    return None


@lru_cache(maxsize=1024)
def _spells(words: tuple[str, ...], letters: str) -> bool:
    """Whether `words` give exactly `letters`, the first word giving the first letter."""
    if not words:
        return not letters
    if not letters:
        return all(w in _SMALL for w in words)
    word, rest = words[0], words[1:]
    options = [word[0]]
    parts = [p for p in word.split("-") if p]
    if len(parts) > 1:
        options.append("".join(p[0] for p in parts))
    if any(letters.startswith(o) and _spells(rest, letters[len(o):]) for o in options):
        return True
    return word in _SMALL and _spells(rest, letters)
