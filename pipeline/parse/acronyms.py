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
# "(ABM)" after a phrase, or "ABM (account-based marketing)".
_AFTER = re.compile(r"([^\n()]{1,120}?)\s*\(\s*([A-Za-z0-9&]{2,8})\s*\)")
_BEFORE = re.compile(r"(?<![\w-])([A-Za-z0-9&]{2,8})\s*\(\s*([^\n()]{3,80}?)\s*\)")


def defined_forms(text: str) -> dict[str, list[str]]:
    """Each form a definition in `text` names (lowercased, spaces collapsed), mapped to the
    other forms it stands for there, as written."""
    pairs: dict[str, list[str]] = {}

    def add(short: str, long: str) -> None:
        for key, other in ((short, long), (long, short)):
            found = pairs.setdefault(" ".join(key.lower().split()), [])
            if other not in found:
                found.append(other)

    for match in _AFTER.finditer(text):
        short = match.group(2)
        if _is_acronym(short):
            long = _spelling_phrase(match.group(1), _letters(short))
            if long:
                add(short, long)
    for match in _BEFORE.finditer(text):
        short, inside = match.group(1), match.group(2)
        if _is_acronym(short):
            words = _WORD.findall(inside)
            if words and _spells(tuple(w.lower() for w in words), _letters(short)):
                add(short, " ".join(words))
    return pairs


def _is_acronym(token: str) -> bool:
    return bool(_ACRONYM.fullmatch(token)) and sum(c.isupper() for c in token) >= 2


def _letters(acronym: str) -> str:
    letters = acronym.lower().replace("&", "")
    # A plural ("EHRs", "KPIs") spells its singular.
    return letters[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else letters


def _spelling_phrase(before: str, letters: str) -> str | None:
    """The fewest words at the end of `before` that spell `letters`, as written."""
    words = [m for m in _WORD.finditer(before)]
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
