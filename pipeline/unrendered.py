"""The fields of a resume that no template shows, by path: said once, so nothing a user wrote
leaves the PDF without a word.

The tables mirror what `pipeline.compile.content.build_view` puts on the page (the templates
only lay that view out); `tests/pipeline/test_unrendered.py` fills every JSON Resume field
with a marked value and checks the two agree, so a change to either shows up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.jsonresume import Resume

# Per list section, the item fields the view shows.
SHOWN_ITEM_FIELDS: dict[str, frozenset[str]] = {
    "work": frozenset({"name", "position", "location", "startDate", "endDate", "summary",
                       "highlights"}),
    "volunteer": frozenset({"organization", "position", "startDate", "endDate", "summary",
                            "highlights"}),
    "education": frozenset({"institution", "area", "studyType", "startDate", "endDate",
                            "score", "courses"}),
    "awards": frozenset({"title", "date", "awarder", "summary"}),
    "certificates": frozenset({"name", "date", "issuer"}),
    "publications": frozenset({"name", "publisher", "releaseDate", "summary"}),
    "skills": frozenset({"name", "level", "keywords"}),
    "languages": frozenset({"language", "fluency"}),
    "interests": frozenset({"name", "keywords"}),
    "projects": frozenset({"name", "entity", "roles", "startDate", "endDate", "description",
                           "highlights", "keywords"}),
}
SHOWN_BASICS = frozenset({"name", "label", "email", "phone", "url", "summary", "location",
                          "profiles"})
SHOWN_LOCATION = frozenset({"city", "region", "countryCode"})
SHOWN_PROFILE = frozenset({"network", "username", "url"})
# About the file, not the person (the schema's URL, `meta.version`): nothing to show.
DOCUMENT_KEYS = frozenset({"$schema", "meta"})


def unrendered_fields(resume: Resume) -> list[str]:
    """Paths of the values the resume holds and the PDF cannot show, in document order:
    `basics.image`, `work[2].url`, `references` (a whole section), `x-custom` (a key JSON
    Resume does not define). Empty values are left out: nothing is lost with them."""
    out: list[str] = []
    for key, value in resume.to_json_dict().items():
        if key in DOCUMENT_KEYS or _empty(value):
            continue
        if key == "basics" and isinstance(value, Mapping):
            out += _basics(value)
        elif key in SHOWN_ITEM_FIELDS and isinstance(value, list):
            for i, item in enumerate(value):
                out += _item_fields(key, i, item)
        else:
            out.append(key)  # `references`, or a section JSON Resume does not define
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _unshown(item: Mapping[str, Any], shown: frozenset[str], path: str) -> list[str]:
    return [f"{path}.{k}" for k, v in item.items() if k not in shown and not _empty(v)]


def _item_fields(section: str, index: int, item: Any) -> list[str]:
    path = f"{section}[{index}]"
    if not isinstance(item, Mapping):
        return [path]
    out = _unshown(item, SHOWN_ITEM_FIELDS[section], path)
    if section == "skills" and item.get("keywords") and item.get("level"):
        out.append(f"{path}.level")  # a skill line lists its keywords, or else its level
    return out


def _basics(basics: Mapping[str, Any]) -> list[str]:
    out = _unshown(basics, SHOWN_BASICS, "basics")
    location = basics.get("location")
    if isinstance(location, Mapping):
        out += _unshown(location, SHOWN_LOCATION, "basics.location")
        if location.get("region") and location.get("countryCode"):
            out.append("basics.location.countryCode")  # the region is shown in its place
    for i, profile in enumerate(basics.get("profiles") or []):
        path = f"basics.profiles[{i}]"
        if not isinstance(profile, Mapping):
            continue
        out += _unshown(profile, SHOWN_PROFILE, path)
        url = str(profile.get("url") or "").casefold()
        if url:  # a profile with a link shows the link; its network and user are in it, or lost
            out += [f"{path}.{k}" for k in ("network", "username")
                    if profile.get(k) and str(profile[k]).casefold().replace(" ", "") not in url]
    return out
