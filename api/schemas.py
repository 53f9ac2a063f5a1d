"""Request and response bodies. Requests reject unknown keys (a typo'd field is an error, not
silently ignored); the resume inside follows JSON Resume, which allows extra keys. One module
past 400 lines: every wire model with its description and example, the OpenAPI document's
`components` in one place."""

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
    template: TemplateName = Field(default="classic", description=(
        "The LaTeX template to render with; `GET /v1/meta` lists this server's."))
    provider: Provider = Field(default="local", description=(
        "Who may reword bullets and write the summary: `local` (deterministic, offline) or a "
        "configured AI provider (`GET /v1/meta` lists them). Whatever it writes passes the "
        "truthfulness guard."))
    webhook_url: WebhookUrl | None = Field(
        default=None, description=(
            "POSTed a signed event (Standard Webhooks) when done: see the `webhooks` section. "
            "http or https; a URL resolving to a private, loopback or link-local address is "
            "refused unless the server allows it."),
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
    """One resume and one posting to tailor it to."""

    # Shown in /docs, and the fuzz test's first requests: it must be accepted as it is.
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
    """One posting of a one-resume batch, with your label for it."""

    label: Label | None = Field(default=None, description="Your id for this posting.")
    posting: str = Field(description="The job posting: plain text, Markdown or HTML.",
                         json_schema_extra=_POSTING_SCHEMA)

    _check_posting = field_validator("posting")(_posting_text)


class BatchItem(BatchPosting):
    """One resume with one posting, in a batch of pairs."""

    resume: ResumeAnyLayout = Field(description="A JSON Resume document.")


BatchMode = Literal["tailor_all", "rank_first"]


class BatchCreate(_Options):
    """Either one `resume` with `postings` (ranked by fit), or `items` of resume + posting."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"resume": _EXAMPLE_RESUME, "postings": [
            "Backend engineer. Python, PostgreSQL.",
            {"label": "acme-42", "posting": "Data engineer. SQL, Airflow."}]},
        {"items": [{"resume": _EXAMPLE_RESUME, "posting": "Platform engineer. Go, Kubernetes."}]},
        {"resume": _EXAMPLE_RESUME, "mode": "rank_first", "tailor_top": 1, "postings": [
            {"label": "acme-42", "posting": "Backend engineer. Python, PostgreSQL."},
            "Data engineer. SQL, Airflow."]},
    ]})

    resume: ResumeAnyLayout | None = Field(default=None, description=(
        "The one resume every posting is tailored against (with `postings`)."))
    postings: list[BatchPosting | str] | None = Field(
        default=None, max_length=MAX_BATCH_ITEMS, description=(
            "Postings for `resume`, as text or with a label; ranked by fit in the answer."))
    items: list[BatchItem] | None = Field(default=None, max_length=MAX_BATCH_ITEMS, description=(
        "Instead of `resume` and `postings`: pairs of a resume and a posting."))
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
    """One pipeline stage a job ran."""

    name: str = Field(description="`parse`, `score`, `rewrite`, `compile` or `upload`.")
    started_at: datetime | None = Field(default=None, description="When it last started.")
    finished_at: datetime | None = Field(default=None, description="When it finished.")
    duration_ms: float | None = Field(default=None, description="How long it ran.")
    attempts: int | None = Field(default=None, description="Times it was started (retries "
                                                            "and redeliveries included).")
    cache_hit: bool | None = Field(default=None, description=(
        "The parse stage found the posting's analysis cached."))


class UsageOut(Usage):
    """One provider/model/prompt's calls in one stage."""

    stage: str = Field(description="The stage that made the calls.")


class MatchSummary(BaseModel):
    """The match before and after tailoring, and every skill by state."""

    match_rate_before: float | None = Field(default=None, description=(
        "Share of what the posting asks that the master resume meets, 0..1, once scored."))
    match_rate_after: float | None = Field(default=None, description=(
        "The same for the tailored resume, once uploaded."))
    matched: list[str] = Field(default_factory=list, description=(
        "Skills in state shown: named where a reader sees them, as the posting words them."))
    evidenced: list[str] = Field(default_factory=list, description=(
        "Skills in state evidenced: in the resume, worded differently or not shown."))
    missing: list[str] = Field(default_factory=list, description=(
        "Skills in state absent: nothing in the resume evidences them. Every skill is listed."))
    covered: list[str] = Field(default_factory=list, description=(
        "Skills in state covered: not shown, but the posting takes an alternative in their "
        "place that the resume shows (the report's `covered_by` names it)."))


class JobError(BaseModel):
    """Why a job failed."""

    stage: str | None = Field(default=None, description="The stage that failed.")
    type: str | None = Field(default=None, description=(
        "The kind of failure: `InvalidInput` (the input is at fault: see `field`), "
        "`CompileError`, `ProviderError`, `TooManyAttempts`, ... (an open set)."))
    message: str = Field(description="What went wrong, for a person to read.")
    field: str | None = Field(default=None, description=(
        "The input at fault, as a path in the request (`resume.work[0].startDate`)."))


class JobOut(BaseModel):
    """A job: one resume tailored to one posting."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f", "state": "succeeded",
        "template": "modern", "provider": "local", "batch_id": None, "label": None,
        "created_at": "2025-03-01T12:00:00.104000Z", "updated_at": "2025-03-01T12:00:41.511000Z",
        "finished_at": "2025-03-01T12:00:41.511000Z",
        "stages": [{"name": "parse", "started_at": "2025-03-01T12:00:00.210000Z",
                    "finished_at": "2025-03-01T12:00:00.530000Z", "duration_ms": 320.0,
                    "attempts": 1, "cache_hit": False}],
        "match": {"match_rate_before": 0.62, "match_rate_after": 0.81,
                  "matched": ["Python", "PostgreSQL"], "evidenced": ["Docker"],
                  "missing": ["Kubernetes"]},
        "artifacts": {"resume.pdf": "https://s3.example.com/bucket/default/6f1c.../resume.pdf"
                                    "?X-Amz-Signature=..."},
        "artifacts_expire_in_s": 300, "error": None, "usage": [], "cost_usd": 0.0, "ats": [],
    }, {
        "id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f", "state": "queued", "template": "modern",
        "provider": "local", "created_at": "2025-03-01T12:00:00.104000Z",
        "updated_at": "2025-03-01T12:00:00.104000Z", "stages": [],
    }]})

    id: uuid.UUID = Field(description="The job's id.")
    state: str = Field(description=(
        "`queued`, `parsing`, `scoring`, `rewriting`, `compiling`, `uploading`, then "
        "`succeeded`, `failed` or `cancelled` (the last three are final). An open set: "
        "treat a state you do not know as not final."))
    template: str = Field(description="The template it renders with.")
    provider: str = Field(description="The AI provider it may use.")
    batch_id: uuid.UUID | None = Field(default=None, description="Its batch, if any.")
    label: str | None = Field(default=None, description="Its label within its batch.")
    created_at: datetime = Field(description="When it was submitted.")
    updated_at: datetime = Field(description="When it last changed.")
    finished_at: datetime | None = Field(default=None, description=(
        "When it reached a final state."))
    stages: list[StageTiming] = Field(default_factory=list, description=(
        "The stages run so far, in order."))
    match: MatchSummary | None = Field(default=None, description="Once scored.")
    artifacts: dict[str, str] | None = Field(
        default=None, description="Presigned download URLs by artifact name, once the job "
                                  "succeeded."
    )
    artifacts_expire_in_s: int | None = Field(default=None, description=(
        "Seconds the `artifacts` URLs stay valid from this answer."))
    error: JobError | None = Field(default=None, description="Why it failed, once failed.")
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
    """One job of a batch."""

    index: int = Field(description="Its position in the request.")
    job_id: uuid.UUID = Field(description="Its job.")
    label: str | None = Field(default=None, description="Your label for it.")
    state: str = Field(description="The job's state (see `JobOut.state`).")
    match_rate: float | None = Field(default=None, description="Before tailoring, once scored.")
    match_rate_after: float | None = Field(default=None, description="After, once uploaded.")
    fit: float | None = Field(default=None, description=(
        "How well the posting fits the resume, 0..1, once scored (one-resume batches)."))
    error: JobError | None = Field(default=None, description="Why the job failed.")


class RankedOut(BaseModel):
    """One posting in a one-resume batch's ranking."""

    rank: int = Field(description="1 for the best fit.")
    index: int = Field(description="Its position in the request.")
    job_id: uuid.UUID = Field(description="Its job.")
    label: str | None = Field(default=None, description="Your label for it.")
    title: str | None = Field(default=None, description="The posting's job title, as parsed.")
    fit: float = Field(description="How well the posting fits the resume: the ranking's key.")
    fit_parts: FitParts | None = Field(default=None, description="The parts of `fit`.")
    match_rate: float = Field(description="Share of what the posting asks that the resume meets.")
    top_missing: list[str] = Field(default_factory=list, description=(
        "Required skills the resume does not evidence, most important first."))


class BatchOut(BaseModel):
    """A batch: its jobs' progress and, for one resume, the postings ranked by fit."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b", "kind": "one_resume",
        "mode": "tailor_all", "tailor_top": None, "state": "completed", "total": 2,
        "counts": {"queued": 0, "parsing": 0, "scoring": 0, "rewriting": 0, "compiling": 0,
                   "uploading": 0, "succeeded": 2, "failed": 0, "cancelled": 0,
                   "ranked": 0},
        "created_at": "2025-03-01T12:00:00Z", "finished_at": "2025-03-01T12:01:30Z",
        "items": [
            {"index": 0, "job_id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f",
             "label": "acme-backend", "state": "succeeded", "match_rate": 0.7,
             "match_rate_after": 0.85, "fit": 0.74, "error": None},
            {"index": 1, "job_id": "3d2e1f0a-8b7c-4d6e-9f5a-1b2c3d4e5f60", "label": None,
             "state": "succeeded", "match_rate": 0.3, "match_rate_after": 0.4, "fit": 0.31,
             "error": None}],
        "ranking": [
            {"rank": 1, "index": 0, "job_id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f",
             "label": "acme-backend", "title": "Backend Engineer", "fit": 0.74,
             "match_rate": 0.7, "top_missing": ["AWS"]},
            {"rank": 2, "index": 1, "job_id": "3d2e1f0a-8b7c-4d6e-9f5a-1b2c3d4e5f60",
             "label": None, "title": "Data Engineer", "fit": 0.31, "match_rate": 0.3,
             "top_missing": ["Spark", "Airflow"]}],
    }]})

    id: uuid.UUID = Field(description="The batch's id.")
    kind: str = Field(description="`one_resume` (one resume, many postings) or `pairs`.")
    mode: BatchMode = Field(default="tailor_all", description=(
        "`tailor_all`: every item is tailored; `rank_first`: every posting is ranked, then "
        "only the best `tailor_top` are tailored (the others end `ranked`)."))
    tailor_top: int | None = Field(
        default=None, description="rank_first: how many of the best items are tailored.")
    state: str = Field(description="`running`, then `completed` once every job finished "
                                   "(an open set).")
    total: int = Field(description="Jobs in the batch.")
    counts: dict[str, int] = Field(description="Jobs per state, every state listed.")
    created_at: datetime = Field(description="When it was submitted.")
    finished_at: datetime | None = Field(default=None, description="When it completed.")
    purged_at: datetime | None = Field(
        default=None, description="When its jobs' resumes, postings, outputs and artifacts "
                                  "were deleted (on request, or after the retention period).")
    items: list[BatchItemOut] = Field(description="Every job, in request order.")
    ranking: list[RankedOut] | None = Field(
        default=None, description="One-resume batches: the postings by fit, best first."
    )


class BatchAccepted(BaseModel):
    """A batch just queued."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b", "total": 2,
        "job_ids": ["6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f",
                    "3d2e1f0a-8b7c-4d6e-9f5a-1b2c3d4e5f60"],
        "location": "/v1/batches/0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b",
    }]})

    id: uuid.UUID = Field(description="The batch's id.")
    total: int = Field(description="Jobs created.")
    job_ids: list[uuid.UUID] = Field(description="Their ids, in request order.")
    location: str = Field(description="The batch's URL, as in `Location`.")
