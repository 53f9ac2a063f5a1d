"""Skills a posting offers as alternatives, any one of which meets its requirement: "Power BI or
Tableau", "Java, Python, or Go", "a degree in Finance, Accounting or Economics", "Computer
Science, Mathematics or a related field".

Read from the skills' places in the text: a run of names on one line joined by commas and
closed by "or" (or "and/or") before its last name, or by "or a related field" after it. An
"and" anywhere in the run makes every name asked ("Python, SQL and Airflow"); so does a
slash, which joins things asked together as often as alternatives ("HTML/CSS").

A parenthesis is read on its own: names listed in it by commas alone are examples, any one
of which will do ("AWS (EC2, ECS, Lambda)"), and outside it the text reads as if it were not
there ("AWS (EC2, ECS, Lambda) or GCP" offers AWS or GCP); one that opens with "or" offers
what it holds in place of the name before it ("Looker (or Tableau)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

# What stands between two names of a run.
_COMMA = re.compile(r"\s*,\s*")
_OR = re.compile(r"\s*,?\s*(?:and/or|or)\s+(?:(?:a|an|any|other|even)\s+)?", re.IGNORECASE)
# What follows the last name of a run that offers any one of its names.
_OR_ALIKE = re.compile(
    r"\s*,?\s*or\s+(?:(?:a|an|any|another|other|some)\s+)?(?:closely\s+)?"
    r"(?:related|similar|comparable|equivalent|relevant|adjacent)\b", re.IGNORECASE)


class Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_PARENS = re.compile(r"\(([^()\n]*)\)")
_EXAMPLES_LEAD = re.compile(r"\s*(?:(?:e\.g\.|eg|i\.e\.|such as|like|for example|incl\.?|including)"
                            r"\s*,?\s*)?", re.IGNORECASE)


def alternative_groups(text: str, hits: Sequence[Named]) -> list[list[int]]:
    """Groups of indexes into `hits` (in order of position, one kind of skill) whose names
    the posting offers as alternatives; a hit stands in one group at most."""
    parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)]
    within: dict[tuple[int, int], list[int]] = {}
    outer = []
    for i, hit in enumerate(hits):
        span = next((p for p in parens if p[0] < hit.start and hit.end < p[1]), None)
        if span is None:
            outer.append(i)
        else:
            within.setdefault(span, []).append(i)
    groups = _groups(text, hits, outer, parens)
    for (start, end), inner in within.items():
        found = _groups(text, hits, inner, [])
        if not found and len(inner) > 1 and _listed_examples(text, hits, inner, start, end):
            found = [inner]
        before = _offered_before(text, hits, outer, start)
        if before is not None:  # "Looker (or Tableau)": the name before and those inside
            found = [[before, *inner]]
        groups += found
    return [group for group in groups if len({hits[index].name for index in group}) > 1]


_OR_INSIDE = re.compile(r"\(\s*(?:or|and/or)\s", re.IGNORECASE)


def _offered_before(text: str, hits: Sequence[Named], outer: list[int],
                    start: int) -> int | None:
    """The name right before a parenthesis that opens with "or" ("Looker (or Tableau)"),
    not already in a group of its own."""
    if not _OR_INSIDE.match(text, start):
        return None
    before = next((i for i in reversed(outer) if hits[i].end <= start), None)
    if before is None or text[hits[before].end:start].strip():
        return None
    return before


def _listed_examples(text: str, hits: Sequence[Named], inner: list[int],
                     start: int, end: int) -> bool:
    """Whether a parenthesis holds nothing but these names joined by commas."""
    lead = _EXAMPLES_LEAD.match(text, start + 1, hits[inner[0]].start)
    return (lead is not None and lead.end() == hits[inner[0]].start
            and not text[hits[inner[-1]].end:end - 1].strip(" ,.")
            and all(_COMMA.fullmatch(text[hits[a].end:hits[b].start])
                    for a, b in zip(inner, inner[1:], strict=False)))


def _gap(text: str, before: Named, after: Named, parens: list[tuple[int, int]]) -> str | None:
    """The text between two names, less any parenthesis in it; None across a line."""
    if after.start < before.end:
        return None
    gap = text[before.end:after.start]
    if "\n" in gap:
        return None
    for start, end in parens:
        if before.end <= start and end <= after.start:
            gap = gap.replace(text[start:end], "", 1)
    return gap


def _groups(text: str, hits: Sequence[Named], indexes: list[int],
            parens: list[tuple[int, int]]) -> list[list[int]]:
    """Runs among `indexes` (into `hits`) offered as alternatives, reading the text between
    consecutive ones without the parentheses in `parens`."""
    groups: list[list[int]] = []
    run = [indexes[0]] if indexes else []
    for n in range(1, len(indexes) + 1):
        i = indexes[n] if n < len(indexes) else len(hits)
        previous = indexes[n - 1]
        gap = _gap(text, hits[previous], hits[i], parens) if n < len(indexes) else None
        if gap is not None and _COMMA.fullmatch(gap):
            run.append(i)
            continue
        if gap is not None and _OR.fullmatch(gap):
            if not run and groups and groups[-1][-1] == previous:
                groups[-1].append(i)  # "A or B or C"
            else:
                groups.append(run + [i])
            run = []
            continue
        # the run ends at its last name: "or a related field" after it still makes it a group
        if len(run) > 1 and _OR_ALIKE.match(text, hits[run[-1]].end):
            groups.append(run)
        run = [i] if n < len(indexes) else []
    return groups


def alternatives_by_name(text: str, hits: Sequence[Named]) -> dict[str, list[str]]:
    """For each name offered only among alternatives, the names offered in its place (in
    order of position). A name the posting also asks for on its own has none."""
    in_group: dict[int, list[int]] = {}
    for group in alternative_groups(text, hits):
        for index in group:
            in_group[index] = group
    offered: dict[str, list[str]] = {}
    alone: set[str] = set()
    for index, hit in enumerate(hits):
        if index not in in_group:
            alone.add(hit.name)
            continue
        names = offered.setdefault(hit.name, [])
        for other in in_group[index]:
            name = hits[other].name
            if name != hit.name and name not in names:
                names.append(name)
    return {name: names for name, names in offered.items() if name not in alone and names}
