"""Tables: jobs, batches, webhook_deliveries (the transactional outbox), api_keys.

A job's state only moves forward through `JobState.FLOW`, or to failed/cancelled; every
change is one guarded UPDATE in `workers.db.transitions`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from workers.db.base import Base


class JobState(StrEnum):
    queued = "queued"
    parsing = "parsing"
    scoring = "scoring"
    rewriting = "rewriting"
    compiling = "compiling"
    uploading = "uploading"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"
    # A rank-first batch's item that was parsed and scored (it has its fit) but not among the
    # best `tailor_top`, so never tailored: finished, outside FLOW.
    ranked = "ranked"


FLOW = (
    JobState.queued, JobState.parsing, JobState.scoring, JobState.rewriting,
    JobState.compiling, JobState.uploading, JobState.succeeded,
)
TERMINAL = frozenset({JobState.succeeded, JobState.failed, JobState.cancelled, JobState.ranked})
ACTIVE = tuple(s for s in FLOW if s not in TERMINAL)
# The state a stage's task puts the job in while it runs.
STAGE_STATE = {
    "parse": JobState.parsing,
    "score": JobState.scoring,
    "rewrite": JobState.rewriting,
    "compile": JobState.compiling,
    "upload": JobState.uploading,
}


class BatchState(StrEnum):
    running = "running"
    completed = "completed"


class DeliveryState(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"  # gave up: schedule exhausted or the receiver answered 410


def _in(column: str, enum: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum)})"


_tz = DateTime(timezone=True)


class Batch(Base):
    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("tenant", "idempotency_key"),
        CheckConstraint(_in("state", BatchState), name="state"),
        CheckConstraint("kind IN ('one_resume', 'pairs')", name="kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=BatchState.running.value)
    total: Mapped[int] = mapped_column(Integer)
    succeeded: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    ranked: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Rank-first batches (workers.batch_rank): how many of the best-fitting items to tailor
    # once all are ranked (0: rank only). None: every item is tailored as it goes.
    tailor_top: Mapped[int | None] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(_tz)
    # When its personal data was deleted (workers.retention); the counts stay.
    purged_at: Mapped[datetime | None] = mapped_column(_tz)

    @property
    def done(self) -> int:
        return self.succeeded + self.failed + self.cancelled + self.ranked

    @property
    def ranks_first(self) -> bool:
        return self.tailor_top is not None


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("tenant", "idempotency_key"),
        CheckConstraint(_in("state", JobState), name="state"),
        Index(None, "state", "state_changed_at"),
        Index(None, "batch_id"),
        # The retention sweep's scan: old jobs not yet purged.
        Index(None, "created_at", postgresql_where=text("purged_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=JobState.queued.value)
    state_changed_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    # {"parse": {"started": iso, "finished": iso, "attempts": n, "cache_hit": bool}, ...}
    stages: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # starts of the current stage
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # {stage, type, message, field}
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("batches.id"))
    batch_item: Mapped[int | None] = mapped_column(Integer)  # position in the batch request
    label: Mapped[str | None] = mapped_column(String(255))  # caller's id for a batch item
    webhook_url: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(32), default="local")
    template: Mapped[str] = mapped_column(String(64), default="classic")
    # What the job writes: ["resume"], or ["resume", "letter"] for a cover letter too.
    documents: Mapped[list[str]] = mapped_column(
        JSONB, default=lambda: ["resume"], server_default=text("'[\"resume\"]'::jsonb"))
    resume: Mapped[dict[str, Any]] = mapped_column(JSONB)
    posting: Mapped[str] = mapped_column(Text)
    # Stage outputs, as the pipeline models' JSON.
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # MatchReport before tailoring
    tailored: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    compile_meta: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # CompiledResume minus pdf
    report_after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    artifacts: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)  # name → S3 key
    match_rate: Mapped[float | None] = mapped_column(Float)
    match_rate_after: Mapped[float | None] = mapped_column(Float)
    # How well the posting fits the resume (pipeline.rank.fit): the batch ranking's key.
    fit: Mapped[float | None] = mapped_column(Float)
    fit_parts: Mapped[dict[str, float] | None] = mapped_column(JSONB)
    task_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)  # the chain's, for revoke
    created_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(_tz)
    # When the resume, posting, stage outputs and artifacts were deleted (workers.retention):
    # what is left is ids, tenant, state, timestamps, rates and usage.
    purged_at: Mapped[datetime | None] = mapped_column(_tz)


# The job's large columns (the inputs and every stage's output). A stage loads only those it
# reads, and a status answer none: RETURNING and decoding all of them at every transition cost
# the workers more CPU than some stages' own work, and a poll of a large batch would otherwise
# pull megabytes.
HEAVY_COLUMNS = ("resume", "posting", "analysis", "report", "tailored", "compile_meta",
                 "report_after")


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(_in("state", DeliveryState), name="state"),
        Index(None, "state", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)  # the webhook-id header
    event_type: Mapped[str] = mapped_column(String(64))  # job.succeeded, batch.completed, ...
    tenant: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id"))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("batches.id"))
    url: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    # One entry per attempt: {"at", "status", "error", "duration_ms"}.
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())


class ApiKey(Base):
    """A credential: `rt_<prefix>_<secret>`. Only the SHA-256 of the whole key is kept; the
    prefix (public, unique) finds the row, then the hashes are compared in constant time."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the full key
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSONB)
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(_tz, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(_tz)
