"""JSON Resume before 1.0.0 (the 0.x layout, still common in the wild), read as 1.0.0.

Version 1.0.0 renamed seven fields and changed the meaning of none: an employer was
`work[].company` and is `work[].name`, a link was `website` and is `url`, a photo was
`basics.picture`, a grade was `education[].gpa`. The 1.0.0 schema allows any extra key, so an
older resume validates as it is, and the renamed fields would silently go unshown: a resume's
employers missing from its PDF. They are moved to their 1.0.0 names here, and every move is
reported.

The fields both layouts share (`skills[].level`, `awards[].awarder`, `references[].reference`,
`basics.location.region`, `languages[].language` ...) kept their names and need nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume

# (section, name before 1.0.0, name in 1.0.0); "basics" is an object, the others are lists.
RENAMED: tuple[tuple[str, str, str], ...] = (
    ("basics", "picture", "image"),
    ("basics", "website", "url"),
    ("work", "company", "name"),
    ("work", "website", "url"),
    ("volunteer", "website", "url"),
    ("education", "gpa", "score"),
    ("publications", "website", "url"),
)


def upgrade_layout(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`data` with the older field names moved to their 1.0.0 names, and one note per move
    (`work[0].company → work[0].name`). `data` itself is left as it was.

    An older field whose 1.0.0 name is also set stays where it is (the two may differ, and
    neither is thrown away); the caller reports it as a field no template shows. Raises
    InvalidInput naming the field when an older field holds something other than text.
    """
    upgraded = dict(data)
    notes: list[str] = []
    for section, old, new in RENAMED:
        value = upgraded.get(section)
        if section == "basics":
            if isinstance(value, Mapping):
                upgraded[section] = _move(value, old, new, section, notes)
        elif isinstance(value, list):
            upgraded[section] = [
                _move(item, old, new, f"{section}[{i}]", notes) if isinstance(item, Mapping)
                else item
                for i, item in enumerate(value)
            ]
    return upgraded, notes


def _move(item: Mapping[str, Any], old: str, new: str, path: str,
          notes: list[str]) -> Mapping[str, Any]:
    if old not in item or new in item:
        return item
    value = item[old]
    if not isinstance(value, str):
        raise InvalidInput(f"must be a string (the name before JSON Resume 1.0.0 of {new!r})",
                           field=f"{path}.{old}")
    moved = {(new if key == old else key): v for key, v in item.items()}
    notes.append(f"{path}.{old} → {path}.{new}")
    return moved


def _upgraded(value: object) -> object:
    if not isinstance(value, Mapping):
        return value  # the model's own validation names what is wrong
    try:
        return upgrade_layout(value)[0]
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


# A Resume field of a request body that accepts either layout and holds 1.0.0.
ResumeAnyLayout = Annotated[Resume, BeforeValidator(_upgraded)]
