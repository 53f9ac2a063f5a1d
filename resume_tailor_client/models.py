"""The API's answers as typed models. Each keeps fields it does not know (`extra="allow"`):
within `/v1` the API may add fields and enum values, and an older client must not break on
them. States are plain strings for the same reason."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# `ranked`: an item of a rank-first batch that was scored but not among the best tailored.
FINAL_JOB_STATES = frozenset({"succeeded", "failed", "cancelled", "ranked"})
FINAL_BATCH_STATES = frozenset({"completed"})


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class FieldError(_Answer):
    field: str
    message: str


class Problem(_Answer):
    """An error answer (RFC 9457): branch on `type` (`/problems/not-found`, ...)."""

    type: str = "about:blank"
    title: str = ""
    status: int
    detail: str = ""
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class JobError(_Answer):
    stage: str | None = None
    type: str | None = None
    message: str
    field: str | None = None


class MatchSummary(_Answer):
    match_rate_before: float | None = None
    match_rate_after: float | None = None
    matched: list[str] = Field(default_factory=list)
    evidenced: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    covered: list[str] = Field(default_factory=list)


class Job(_Answer):
    id: uuid.UUID
    state: str
    template: str
    provider: str
    batch_id: uuid.UUID | None = None
    label: str | None = None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    match: MatchSummary | None = None
    artifacts: dict[str, str] | None = None  # name → presigned URL, once succeeded
    artifacts_expire_in_s: int | None = None
    error: JobError | None = None
    purged_at: datetime | None = None  # its personal data deleted (on request or by age)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_JOB_STATES


class BatchAccepted(_Answer):
    id: uuid.UUID
    total: int
    job_ids: list[uuid.UUID]
    location: str


class BatchItem(_Answer):
    index: int
    job_id: uuid.UUID
    label: str | None = None
    state: str
    match_rate: float | None = None
    match_rate_after: float | None = None
    fit: float | None = None
    error: JobError | None = None


class RankedPosting(_Answer):
    rank: int
    index: int
    job_id: uuid.UUID
    label: str | None = None
    title: str | None = None
    fit: float
    match_rate: float
    top_missing: list[str] = Field(default_factory=list)


class Batch(_Answer):
    id: uuid.UUID
    kind: str
    state: str
    total: int
    counts: dict[str, int]
    created_at: datetime
    finished_at: datetime | None = None
    purged_at: datetime | None = None
    items: list[BatchItem]
    ranking: list[RankedPosting] | None = None

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_BATCH_STATES


class WebhookEvent(_Answer):
    """A verified webhook: `job.succeeded`, `job.failed`, `batch.completed` (an open set)."""

    id: str = Field(description="The `webhook-id` header: de-duplicate on it.")
    type: str
    timestamp: datetime
    data: dict[str, Any]
