"""Skills a posting offers as alternatives, any one of which meets its requirement: "Power BI or
Tableau", "Java, Python, or Go", "a degree in Finance, Accounting or Economics", "Computer
Science, Mathematics or a related field".

Read from the skills' places in the text: a run of names on one line joined by commas and
closed by "or" (or "and/or") before its last name, or by "or a related field" after it. An
"and" anywhere in the run makes every name asked ("Python, SQL and Airflow"); so does a
slash, which joins things asked together as often as alternatives ("HTML/CSS").
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


def alternative_groups(text: str, hits: Sequence[Named]) -> list[list[int]]:
    """Groups of indexes into `hits` (in order of position, one kind of skill) whose names
    the posting offers as alternatives; a hit stands in one group at most."""
    groups: list[list[int]] = []
    run = [0] if hits else []
    for i in range(1, len(hits) + 1):
        if i == len(hits):
            gap = None
        else:
            gap = text[hits[i - 1].end:hits[i].start]
            if "\n" in gap or hits[i].start < hits[i - 1].end:
                gap = None
        if gap is not None and _COMMA.fullmatch(gap):
            run.append(i)
            continue
        if gap is not None and _OR.fullmatch(gap):
            if not run and groups and groups[-1][-1] == i - 1:
                groups[-1].append(i)  # "A or B or C"
            else:
                groups.append(run + [i])
            run = []
            continue
        # the run ends at hits[i - 1]: "or a related field" after it still makes it a group
        if len(run) > 1 and _OR_ALIKE.match(text, hits[run[-1]].end):
            groups.append(run)
        run = [i] if i < len(hits) else []
    return [group for group in groups
            if len({hits[index].name for index in group}) > 1]


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
