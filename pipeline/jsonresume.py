"""JSON Resume (jsonresume.org, schema v1.0.0) as pydantic models.

The schema allows additional properties everywhere, and real resumes carry them
(`$schema`, `meta`, custom keys), so unknown keys are kept rather than rejected: they
round-trip into the tailored output untouched. Known keys are type-checked, and dates must
match the schema's partial ISO 8601 form.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_ISO8601 = re.compile(
    r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"
)


def _check_date(value: str) -> str:
    if not _ISO8601.match(value):
        raise ValueError("not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    month = int(value[5:7]) if len(value) >= 7 else 1
    day = int(value[8:10]) if len(value) == 10 else 1
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise ValueError("not a date (month or day out of range)")
    return value


IsoDate = Annotated[str, AfterValidator(_check_date)]


class _Item(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, str_strip_whitespace=True)


class Location(_Item):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class Profile(_Item):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Item):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Work(_Item):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Volunteer(_Item):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(_Item):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    score: str | None = None
    courses: list[str] = Field(default_factory=list)


class Award(_Item):
    title: str | None = None
    date: IsoDate | None = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Item):
    name: str | None = None
    date: IsoDate | None = None
    url: str | None = None
    issuer: str | None = None


class Publication(_Item):
    name: str | None = None
    publisher: str | None = None
    releaseDate: IsoDate | None = None
    url: str | None = None
    summary: str | None = None


class Skill(_Item):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(_Item):
    language: str | None = None
    fluency: str | None = None


class Interest(_Item):
    name: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Reference(_Item):
    name: str | None = None
    reference: str | None = None


class Project(_Item):
    name: str | None = None
    description: str | None = None
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    url: str | None = None
    roles: list[str] = Field(default_factory=list)
    entity: str | None = None
    type: str | None = None


class Resume(_Item):
    """A whole JSON Resume document."""

    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, object]:
        """The document as JSON Resume: empty optional sections and None values left out."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True, by_alias=True)
