"""Request and response bodies. Requests reject unknown keys (a typo'd field is an error, not
silently ignored); the resume inside follows JSON Resume, which allows extra keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pipeline.jsonresume import Resume
from pipeline.legacy_resume import ResumeAnyLayout
from pipeline.limits import MAX_POSTING_CHARS, writable_text
from pipeline.models import AtsReport, FitParts, Usage

MAX_BATCH_ITEMS = 500
DEFAULT_TAILOR_TOP = 3  # rank-first batches: a handful of PDFs, not one per posting
ARTIFACT_NAMES = ("resume.pdf", "resume.tex", "report.json", "tailored.json", "letter.pdf",
                  "letter.tex", "letter.md")

Provider = Literal["local", "openai", "anthropic"]
TemplateName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
# Stored as text in Postgres, which takes no NUL, nor (as UTF-8) an unpaired surrogate.
Label = Annotated[str, StringConstraints(min_length=1, max_length=255),
                  AfterValidator(writable_text)]
WebhookUrl = Annotated[str, StringConstraints(min_length=1, max_length=2048),
                       AfterValidator(writable_text)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# `_posting_text`'s checks, as the OpenAPI document states them (some text, within the limit).
_POSTING_SCHEMA: dict[str, Any] = {"pattern": r"\S", "maxLength": MAX_POSTING_CHARS}


def _posting_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_POSTING_CHARS:
        raise ValueError(f"longer than {MAX_POSTING_CHARS} characters")
    return value


class _Options(_Request):
    template: TemplateName = "classic"
    provider: Provider = "local"
    webhook_url: WebhookUrl | None = Field(
        default=None, description="POSTed a signed event (Standard Webhooks) when done."
    )


DocumentName = Literal["resume", "letter"]


def _resume_only() -> list[DocumentName]:
    return ["resume"]


# Shown in /docs, and what the fuzz test's examples phase submits first (a request built from
# the schema alone rarely passes every check).
_EXAMPLE_RESUME: dict[str, Any] = {
    "basics": {"name": "Ada Lovelace", "label": "Backend engineer"},
    "work": [{"name": "Analytical Engines", "position": "Engineer", "startDate": "2019-03",
              "highlights": ["Built the billing service in Python and PostgreSQL"]}],
    "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL"]}],
}


class JobCreate(_Options):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "resume": _EXAMPLE_RESUME, "posting": "Backend engineer. Python, PostgreSQL.",
        "template": "classic"}]})

    resume: ResumeAnyLayout = Field(
        description="A JSON Resume document (jsonresume.org, v1.0.0; the layout before 1.0.0 "
                    "is read as 1.0.0).")
    posting: str = Field(description="The job posting: plain text, Markdown or HTML.",
                         json_schema_extra=_POSTING_SCHEMA)
    documents: list[DocumentName] = Field(
        default_factory=_resume_only, min_length=1, max_length=2,
        description='What to write: ["resume"], or ["resume", "letter"] for a cover letter.',
        json_schema_extra={"uniqueItems": True, "contains": {"const": "resume"}})

    _check_posting = field_validator("posting")(_posting_text)

    @field_validator("documents")
    @classmethod
    def _documents(cls, value: list[DocumentName]) -> list[DocumentName]:
        if len(set(value)) != len(value):
            raise ValueError("names a document twice")
        if "resume" not in value:
            raise ValueError('must include "resume" (the letter is written beside it)')
        return value


class BatchPosting(_Request):
    label: Label | None = Field(default=None, description="Your id for this posting.")
    posting: str = Field(json_schema_extra=_POSTING_SCHEMA)

    _check_posting = field_validator("posting")(_posting_text)


class BatchItem(BatchPosting):
    resume: ResumeAnyLayout


BatchMode = Literal["tailor_all", "rank_first"]


class BatchCreate(_Options):
    """Either one `resume` with `postings` (ranked by fit), or `items` of resume + posting."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"resume": _EXAMPLE_RESUME, "postings": [
            "Backend engineer. Python, PostgreSQL.",
            {"label": "acme-42", "posting": "Data engineer. SQL, Airflow."}]},
        {"items": [{"resume": _EXAMPLE_RESUME, "posting": "Platform engineer. Go, Kubernetes."}]},
    ]})

    resume: ResumeAnyLayout | None = None
    postings: list[BatchPosting | str] | None = Field(default=None, max_length=MAX_BATCH_ITEMS)
    items: list[BatchItem] | None = Field(default=None, max_length=MAX_BATCH_ITEMS)
    mode: BatchMode = Field(
        default="tailor_all",
        description="tailor_all: every item is tailored to a PDF. rank_first (one resume with "
                    "postings): every posting is parsed and scored, then only the best "
                    "`tailor_top` by fit are tailored; the others end `ranked`.")
    tailor_top: Annotated[StrictInt, Field(ge=0, le=MAX_BATCH_ITEMS)] | None = Field(
        default=None,
        description=f"rank_first: how many of the best-fitting postings to tailor (default "
                    f"{DEFAULT_TAILOR_TOP}; 0 ranks only).")

    @field_validator("postings")
    @classmethod
    def _postings_text(cls, value: list[BatchPosting | str] | None) -> list[BatchPosting | str]:
        if value is None:
            return []
        for index, item in enumerate(value):
            if isinstance(item, str) and not item.strip():
                raise ValueError(f"postings[{index}] must not be empty")
        return value

    @field_validator("mode")
    @classmethod
    def _mode_fits_shape(cls, value: BatchMode, info: ValidationInfo) -> BatchMode:
        if value == "rank_first" and info.data.get("items"):
            raise ValueError("rank_first ranks postings for one resume: give `resume` with "
                             "`postings`, not `items`")
        return value

    @field_validator("tailor_top")
    @classmethod
    def _only_when_ranking_first(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("mode") != "rank_first":
            raise ValueError('only with "mode": "rank_first" (tailor_all tailors every item)')
        return value

    @property
    def ranking_tailors(self) -> int | None:
        """How many of the best items a rank-first batch tailors; None: every item."""
        if self.mode != "rank_first":
            return None
        return DEFAULT_TAILOR_TOP if self.tailor_top is None else self.tailor_top

    @model_validator(mode="after")
    def _one_shape(self) -> BatchCreate:
        if self.items:
            if self.resume is not None or self.postings:
                raise ValueError("give either `items`, or `resume` with `postings`, not both")
        elif self.resume is None or not self.postings:
            raise ValueError("give `resume` with at least one posting in `postings`, or `items`")
        return self

    @property
    def kind(self) -> Literal["one_resume", "pairs"]:
        return "pairs" if self.items else "one_resume"

    def pairs(self) -> list[tuple[str | None, Resume, str]]:
        """(label, resume, posting) per item, in request order."""
        if self.items:
            return [(i.label, i.resume, i.posting) for i in self.items]
        assert self.resume is not None and self.postings
        return [
            (None, self.resume, p) if isinstance(p, str) else (p.label, self.resume, p.posting)
            for p in self.postings
        ]


# ---------------------------------------------------------------- responses


class StageTiming(BaseModel):
    name: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_ms: float | None = None
    attempts: int | None = None
    cache_hit: bool | None = None


class UsageOut(Usage):
    """One provider/model/prompt's calls in one stage."""

    stage: str


class MatchSummary(BaseModel):
    match_rate_before: float | None = None
    match_rate_after: float | None = None
    matched: list[str] = Field(default_factory=list, description=(
        "Skills in state shown: named where a reader sees them, as the posting words them."))
    evidenced: list[str] = Field(default_factory=list, description=(
        "Skills in state evidenced: in the resume, worded differently or not shown."))
    missing: list[str] = Field(default_factory=list, description=(
        "Skills in state absent: nothing in the resume evidences them. Every skill is listed."))


class JobError(BaseModel):
    stage: str | None = None
    type: str | None = None
    message: str
    field: str | None = None


class JobOut(BaseModel):
    id: uuid.UUID
    state: str
    template: str
    provider: str
    batch_id: uuid.UUID | None = None
    label: str | None = None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    stages: list[StageTiming] = Field(default_factory=list)
    match: MatchSummary | None = None
    artifacts: dict[str, str] | None = Field(
        default=None, description="Presigned download URLs, once the job succeeded."
    )
    artifacts_expire_in_s: int | None = None
    error: JobError | None = None
    usage: list[UsageOut] = Field(
        default_factory=list, description="AI provider calls per stage (empty for local)."
    )
    cost_usd: float = Field(default=0.0, description="Estimated cost of those calls.")
    ats: list[AtsReport] = Field(
        default_factory=list, description="ATS checks of each PDF and DOCX, once compiled.")
    purged_at: datetime | None = Field(
        default=None, description="When the resume, posting, outputs and artifacts were "
                                  "deleted (on request, or after the retention period).")


class BatchItemOut(BaseModel):
    index: int
    job_id: uuid.UUID
    label: str | None = None
    state: str
    match_rate: float | None = None
    match_rate_after: float | None = None
    fit: float | None = None
    error: JobError | None = None


class RankedOut(BaseModel):
    rank: int
    index: int
    job_id: uuid.UUID
    label: str | None = None
    title: str | None = None
    fit: float = Field(description="How well the posting fits the resume: the ranking's key.")
    fit_parts: FitParts | None = None
    match_rate: float = Field(description="Share of what the posting asks that the resume meets.")
    top_missing: list[str] = Field(default_factory=list)


class BatchOut(BaseModel):
    id: uuid.UUID
    kind: str
    mode: BatchMode = "tailor_all"
    tailor_top: int | None = Field(
        default=None, description="rank_first: how many of the best items are tailored.")
    state: str
    total: int
    counts: dict[str, int]
    created_at: datetime
    finished_at: datetime | None = None
    purged_at: datetime | None = None
    items: list[BatchItemOut]
    ranking: list[RankedOut] | None = Field(
        default=None, description="One-resume batches: the postings by fit, best first."
    )


class BatchAccepted(BaseModel):
    id: uuid.UUID
    total: int
    job_ids: list[uuid.UUID]
    location: str
