"""The fields reported as not shown are exactly those the page leaves out.

Each JSON Resume field is filled with a marked value, the view the templates lay out is built,
and the marker must be on the page if and only if the field is not reported.
"""

from __future__ import annotations

import itertools
import json
from importlib import resources
from typing import Any

import pytest

from pipeline.compile.content import DocumentView, build_view
from pipeline.jsonresume import Resume
from pipeline.unrendered import unrendered_fields

_SCHEMA = json.loads(resources.files("pipeline.schema").joinpath("jsonresume.schema.json")
                     .read_text(encoding="utf-8"))
_counter = itertools.count()


def _marked(spec: dict[str, Any]) -> tuple[Any, str]:
    """A value for a field of this schema type, and the text that shows it on the page."""
    n = next(_counter)
    if "$ref" in spec:  # the partial ISO 8601 dates
        year = 1900 + n
        return f"{year}-04", f"Apr {year}"
    if spec.get("type") == "array":
        return [f"zqmark{n}"], f"zqmark{n}"
    if spec.get("format") == "uri":
        return f"https://zqmark{n}.example", f"zqmark{n}"
    return f"zqmark{n}", f"zqmark{n}"


def _page(view: DocumentView) -> str:
    parts = [view.name, view.label, *(c.text for c in view.contacts)]
    if view.summary:
        parts.append(view.summary.text)
    for section in view.sections:
        for entry in section.entries:
            parts += [entry.title, entry.org, entry.where, entry.dates]
            parts += [u.text for u in (entry.summary, *entry.bullets, entry.extra) if u]
        parts += [f"{line.label} {line.text}" for line in section.lines]
    return "\n".join(p for p in parts if p)  # org is None for a position without employer


def _check(data: dict[str, Any], marker: str, path: str) -> None:
    resume = Resume.model_validate(data)
    shown = marker in _page(build_view(resume))
    reported = unrendered_fields(resume)
    is_reported = any(path == p or path.startswith(p + ".") or path.startswith(p + "[")
                      for p in reported)
    assert shown != is_reported, (path, shown, reported)


def _item_fields() -> list[tuple[str, str]]:
    return [(section, field)
            for section, spec in _SCHEMA["properties"].items() if spec.get("type") == "array"
            for field in spec["items"]["properties"]]


@pytest.mark.parametrize(("section", "field"), _item_fields())
def test_every_item_field_is_shown_or_reported(section: str, field: str) -> None:
    spec = _SCHEMA["properties"][section]["items"]["properties"][field]
    value, marker = _marked(spec)
    _check({"basics": {"name": "Ana"}, section: [{field: value}]}, marker, f"{section}[0].{field}")


@pytest.mark.parametrize("field", [f for f in _SCHEMA["properties"]["basics"]["properties"]
                                   if f not in ("location", "profiles")])
def test_every_basics_field_is_shown_or_reported(field: str) -> None:
    value, marker = _marked(_SCHEMA["properties"]["basics"]["properties"][field])
    data = {"basics": {"name": "Ana", field: value} if field != "name" else {field: value}}
    _check(data, marker, f"basics.{field}")


@pytest.mark.parametrize("field", list(
    _SCHEMA["properties"]["basics"]["properties"]["location"]["properties"]))
def test_every_location_field_is_shown_or_reported(field: str) -> None:
    value, marker = _marked({})
    _check({"basics": {"name": "Ana", "location": {field: value}}}, marker,
           f"basics.location.{field}")


@pytest.mark.parametrize(("data", "marker", "path"), [
    # a skill line lists its keywords, or else its level
    ({"skills": [{"name": "Web", "level": "zqlevel", "keywords": ["HTML"]}]}, "zqlevel",
     "skills[0].level"),
    # the region stands where the country code would
    ({"basics": {"location": {"region": "MA", "countryCode": "zqcc"}}}, "zqcc",
     "basics.location.countryCode"),
    # a profile with a link shows the link: a network named in it is not lost, another is
    ({"basics": {"profiles": [{"network": "zqnet", "url": "https://zqnet.example/a"}]}},
     "zqnet", "basics.profiles[0].network"),
    ({"basics": {"profiles": [{"network": "Mastodon", "username": "zquser",
                               "url": "https://social.example/@someone"}]}},
     "zquser", "basics.profiles[0].username"),
    ({"basics": {"profiles": [{"network": "zqnet", "username": "ana"}]}}, "zqnet",
     "basics.profiles[0].network"),
    # keys JSON Resume does not define
    ({"work": [{"name": "Acme", "team": "zqteam"}]}, "zqteam", "work[0].team"),
    ({"hobbies": ["zqhobby"]}, "zqhobby", "hobbies"),
    ({"basics": {"location": {"state": "zqstate"}}}, "zqstate", "basics.location.state"),
])
def test_conditional_and_unknown_fields(data: dict[str, Any], marker: str, path: str) -> None:
    basics = {"name": "Ana", **data.get("basics", {})}
    _check({**data, "basics": basics}, marker, path)


def test_document_metadata_and_empty_values_are_not_reported() -> None:
    resume = Resume.model_validate({
        "$schema": "https://jsonresume.org/schema", "meta": {"version": "v1.0.0"},
        "basics": {"name": "Ana", "image": ""}, "work": [{"name": "Acme", "url": ""}],
        "references": [],
    })
    assert unrendered_fields(resume) == []
