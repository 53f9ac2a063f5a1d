"""What the letter may say about the employer: the company and the role as the posting names
them, and nothing the posting does not say.

The parse stage finds the company only from a "Company:" field; postings more often put it on
the line under the title ("**Fernhill Commerce** · Remote (US)"), so that line is read too,
and kept only when the name recurs in the posting (a location or "Full-time" does not).
"""

from __future__ import annotations

import re

from pipeline.models import JobAnalysis

_MARKUP = re.compile(r"[*_#`>]+")
_SEPARATORS = re.compile(r"\s+(?:[—–|·•@]|-|at)\s+|\s*[|·•]\s*")
_NOT_A_NAME = re.compile(
    r"(?i)\b(remote|hybrid|full[- ]time|part[- ]time|contract|on[- ]site|salary|posted|apply)\b"
    r"|[:$€£]|\d{3,}")
_MAX_NAME = 60


def _clean(line: str) -> str:
    return " ".join(_MARKUP.sub("", line).split())


def company_name(analysis: JobAnalysis) -> str | None:
    """The employer's name as the posting writes it, or None when it does not say."""
    if analysis.company:
        return _clean(analysis.company) or None
    lines = [_clean(line) for line in analysis.text.splitlines()]
    lines = [line for line in lines if line]
    title = _clean(analysis.title or "")
    try:
        at = next(i for i, line in enumerate(lines[:6]) if title and line.startswith(title))
    except StopIteration:
        return None
    for line in lines[at + 1: at + 3]:
        candidate = _SEPARATORS.split(line, maxsplit=1)[0].strip(" ,;")
        if _plausible(candidate, analysis.text):
            return candidate
    return None


def _plausible(name: str, text: str) -> bool:
    if not (2 <= len(name) <= _MAX_NAME) or not name[0].isupper() or _NOT_A_NAME.search(name):
        return False
    # The name (or its first word, "Kestrel" for "Kestrel Cloud Services") must recur: a
    # company's name comes back in the blurb, a tagline does not.
    first = name.split()[0]
    return len(re.findall(rf"(?<!\w){re.escape(first)}(?!\w)", text)) >= 2


def role_title(analysis: JobAnalysis) -> str | None:
    return _clean(analysis.title) if analysis.title else None
