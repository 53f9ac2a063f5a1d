"""JSON Resume (jsonresume.org, schema v1.0.0) as pydantic models.

The schema allows additional properties everywhere, and real resumes carry them
(`$schema`, `meta`, custom keys), so unknown keys are kept rather than rejected: they
round-trip into the tailored output untouched. Known keys are type-checked, and dates must
match the schema's partial ISO 8601 form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from pipeline.limits import (
    MAX_ENTRIES,
    MAX_PROFILES,
    Bullets,
    Email,
    Keywords,
    Label,
    Name,
    Phone,
    Short,
    Summary,
    Url,
    check_extra,
    check_tree,
    max_items,
)

_ISO8601 = re.compile(
    r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"
)


_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
# Dates as resumes in the wild write them, each read into the schema's form.
_YEAR_MONTH = re.compile(r"^([1-2][0-9]{3})[-/.]([0-9]{1,2})$")  # 2020-3, 2020/03, 2020.03
_MONTH_YEAR = re.compile(r"^([0-9]{1,2})[-/.]([1-2][0-9]{3})$")  # 03/2020, 3-2020
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?,?\s+([1-2][0-9]{3})$")  # Mar 2020, March 2020
_TIMESTAMP = re.compile(r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9])[T ][0-9:.]+(Z|[+-][0-9:]+)?$")
# What an end date says when the entry has not ended.
_ONGOING = frozenset({"present", "current", "currently", "now", "today", "ongoing",
                      "to date", "till date", "to present"})


def _read_date(value: object) -> object:
    """A date as people write it, in the schema's form: blank is no date (the old `resume
    init` template left every field ""), "2020-3", "2020/03", "03/2020", "Mar 2020" and
    "March 2020" are 2020-03, a timestamp is its day. Anything else is left for the check to
    refuse (03/04/2020 is March or April: not guessed)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if match := _YEAR_MONTH.match(text):
        return f"{match[1]}-{int(match[2]):02d}"
    if match := _MONTH_YEAR.match(text):
        return f"{match[2]}-{int(match[1]):02d}"
    if (match := _NAMED_MONTH.match(text)) and match[1].lower() in _MONTHS:
        return f"{match[2]}-{_MONTHS[match[1].lower()]:02d}"
    if match := _TIMESTAMP.match(text):
        return match[1]
    return text


def _read_end_date(value: object) -> object:
    """As `_read_date`; "Present", "current" and their kin are no end: the entry is current,
    as an absent endDate says."""
    if isinstance(value, str) and value.strip().lower() in _ONGOING:
        return None
    return _read_date(value)


def _check_date(value: str) -> str:
    if not _ISO8601.match(value):
        raise ValueError("not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    month = int(value[5:7]) if len(value) >= 7 else 1
    day = int(value[8:10]) if len(value) == 10 else 1
    try:
        dt.date(int(value[:4]), month, day)  # 2020-02-31 is no date
    except ValueError:
        raise ValueError("not a date (month or day out of range)") from None
    return value


def _not_before_start(end: str | None, info: ValidationInfo) -> str | None:
    """An end date before its entry's start date. Partial dates compare at the coarser of the
    two ("2020" ends no earlier than "2020-06" starts)."""
    start = info.data.get("startDate")
    if end is None or not start:
        return end
    width = min(len(start), len(end))
    if end[:width] < start[:width]:
        raise ValueError("before startDate")
    return end


# What a client's schema (the API's OpenAPI document) says a date is: the form, with months and
# days in range, so a request built from the schema is one the check above accepts.
_ISO8601_IN_RANGE = (r"^[1-2][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
_Date = Annotated[str, AfterValidator(_check_date),
                  WithJsonSchema({"type": "string", "pattern": _ISO8601_IN_RANGE})]
# Read as people write dates first (`_read_date`), then checked against the schema's form.
IsoDate = Annotated[_Date | None, BeforeValidator(_read_date)]
EndDate = Annotated[_Date | None, BeforeValidator(_read_end_date)]


class _Item(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, str_strip_whitespace=True)

    @model_validator(mode="after")
    def _extra_within_limits(self) -> _Item:
        for key, value in (self.__pydantic_extra__ or {}).items():
            problem = check_extra(key, value)
            if problem:
                raise ValueError(problem)
        return self


def _entries(limit: int = MAX_ENTRIES) -> BeforeValidator:
    return max_items(limit, "entries")


class Location(_Item):
    address: Short | None = None
    postalCode: Short | None = None
    city: Short | None = None
    countryCode: Short | None = None
    region: Short | None = None


class Profile(_Item):
    network: Short | None = None
    username: Short | None = None
    url: Url | None = None


class Basics(_Item):
    name: Name | None = None
    label: Label | None = None
    image: Url | None = None
    email: Email | None = None
    phone: Phone | None = None
    url: Url | None = None
    summary: Summary | None = None
    location: Location | None = None
    profiles: Annotated[list[Profile], _entries(MAX_PROFILES)] = Field(default_factory=list)


class Work(_Item):
    name: Label | None = None
    location: Short | None = None
    description: Summary | None = None
    position: Label | None = None
    url: Url | None = None
    startDate: IsoDate = None
    endDate: EndDate = None
    _end_after_start = field_validator("endDate")(_not_before_start)
    summary: Summary | None = None
    highlights: Bullets = Field(default_factory=list)


class Volunteer(_Item):
    organization: Label | None = None
    position: Label | None = None
    url: Url | None = None
    startDate: IsoDate = None
    endDate: EndDate = None
    _end_after_start = field_validator("endDate")(_not_before_start)
    summary: Summary | None = None
    highlights: Bullets = Field(default_factory=list)


class Education(_Item):
    institution: Label | None = None
    url: Url | None = None
    area: Short | None = None
    studyType: Short | None = None
    startDate: IsoDate = None
    endDate: EndDate = None
    _end_after_start = field_validator("endDate")(_not_before_start)
    score: Short | None = None
    courses: Bullets = Field(default_factory=list)


class Award(_Item):
    title: Label | None = None
    date: IsoDate = None
    awarder: Label | None = None
    summary: Summary | None = None


class Certificate(_Item):
    name: Label | None = None
    date: IsoDate = None
    url: Url | None = None
    issuer: Label | None = None


class Publication(_Item):
    name: Label | None = None
    publisher: Label | None = None
    releaseDate: IsoDate = None
    url: Url | None = None
    summary: Summary | None = None


class Skill(_Item):
    name: Label | None = None
    level: Short | None = None
    keywords: Keywords = Field(default_factory=list)


class Language(_Item):
    language: Short | None = None
    fluency: Short | None = None


class Interest(_Item):
    name: Label | None = None
    keywords: Keywords = Field(default_factory=list)


class Reference(_Item):
    name: Label | None = None
    reference: Summary | None = None


class Project(_Item):
    name: Label | None = None
    description: Summary | None = None
    highlights: Bullets = Field(default_factory=list)
    keywords: Keywords = Field(default_factory=list)
    startDate: IsoDate = None
    endDate: EndDate = None
    _end_after_start = field_validator("endDate")(_not_before_start)
    url: Url | None = None
    roles: Bullets = Field(default_factory=list)
    entity: Label | None = None
    type: Short | None = None


# Validation context for a resume this service stored itself (a job's row, read back by each
# stage task): it passed the checks of the whole document when it came in, so they are not
# walked again on every read. Every field's own validation still runs.
STORED: dict[str, bool] = {"stored": True}


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _refuse(problem: tuple[str, str] | None) -> None:
    if problem is not None:
        path, reason = problem
        raise ValueError(f"{path}: {reason}" if path else reason)


_ENTRY_SECTIONS = ("work", "volunteer", "education", "awards", "certificates", "publications",
                   "skills", "languages", "interests", "references", "projects")


def _blank(value: object) -> bool:
    """Nothing but empty strings, lists, objects and nulls, however nested."""
    if isinstance(value, BaseModel):
        return (all(_blank(v) for v in vars(value).values())
                and _blank(value.__pydantic_extra__ or {}))
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    if isinstance(value, str):
        return not value.strip()
    return value is None


# How a Resume is written out as JSON Resume, as data or as text.
_AS_JSON_RESUME: dict[str, Any] = {"exclude_none": True, "exclude_defaults": True,
                                   "by_alias": True}


class Resume(_Item):
    """A whole JSON Resume document."""

    basics: Basics = Field(default_factory=Basics)
    work: Annotated[list[Work], _entries()] = Field(default_factory=list)
    volunteer: Annotated[list[Volunteer], _entries()] = Field(default_factory=list)
    education: Annotated[list[Education], _entries()] = Field(default_factory=list)
    awards: Annotated[list[Award], _entries()] = Field(default_factory=list)
    certificates: Annotated[list[Certificate], _entries()] = Field(default_factory=list)
    publications: Annotated[list[Publication], _entries()] = Field(default_factory=list)
    skills: Annotated[list[Skill], _entries()] = Field(default_factory=list)
    languages: Annotated[list[Language], _entries()] = Field(default_factory=list)
    interests: Annotated[list[Interest], _entries()] = Field(default_factory=list)
    references: Annotated[list[Reference], _entries()] = Field(default_factory=list)
    projects: Annotated[list[Project], _entries()] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shallow_enough(cls, data: Any, info: ValidationInfo) -> Any:
        """Depth first, on the raw data: a deeper document would exhaust the recursion of
        the validation itself."""
        if not _stored(info):
            _refuse(check_tree(data, max_text=None))
        return data

    @model_validator(mode="after")
    def _without_blank_entries(self, info: ValidationInfo) -> Resume:
        """Entries with nothing in them are left out: the old `resume init` template held a
        blank one in every section ({"title": "", "date": "", ...}), which rendered as a
        heading over nothing. (A stored resume had them left out when it came in.)"""
        if _stored(info):
            return self
        for name in _ENTRY_SECTIONS:
            entries = getattr(self, name)
            if any(_blank(entry) for entry in entries):
                setattr(self, name, [entry for entry in entries if not _blank(entry)])
        if any(_blank(profile) for profile in self.basics.profiles):
            self.basics.profiles = [p for p in self.basics.profiles if not _blank(p)]
        return self

    @model_validator(mode="after")
    def _text_within_limit(self, info: ValidationInfo) -> Resume:
        """The total text, once every field passed its own limit (which names it better)."""
        if not _stored(info):
            _refuse(check_tree(self.model_dump(mode="python", exclude_none=True)))
        return self

    def to_json_dict(self) -> dict[str, object]:
        """The document as JSON Resume: empty optional sections and None values left out."""
        return self.model_dump(mode="json", **_AS_JSON_RESUME)

    def to_json_text(self) -> str:
        """`to_json_dict` as indented JSON text, serialised by pydantic (UTF-8 as is)."""
        return self.model_dump_json(indent=2, **_AS_JSON_RESUME)
