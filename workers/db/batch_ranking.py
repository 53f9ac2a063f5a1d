"""A rank-first batch's queries: the items still to rank, and the ranking stored in one
transaction (each item's analysis, report and fit; the best few moved on to be tailored, the
rest finished as `ranked` and counted on the batch)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from workers.db.batches import count_batch_item
from workers.db.jobs import JOBS
from workers.db.models import Batch, Job, JobState

# The columns ranking fills on each item (scoring's, as `workers.tasks.score` fills them).
RANKED_COLUMNS = ("analysis", "report", "match_rate", "fit", "fit_parts")


@dataclass(frozen=True)
class RankInputs:
    batch: Batch
    resume: dict[str, Any]  # one resume for every item of a one-resume batch
    items: list[tuple[uuid.UUID, str]]  # (job id, posting) of the items still queued, in order


def rank_inputs(session: Session, batch_id: uuid.UUID) -> RankInputs | None:
    """What ranking reads; None when the batch is missing or nothing in it is left to rank
    (a redelivered task after the ranking was stored)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        return None
    items = [(job_id, posting) for job_id, posting in session.execute(
        select(Job.id, Job.posting)
        .where(Job.batch_id == batch_id, Job.state == JobState.queued.value)
        .order_by(Job.batch_item, Job.created_at)
    )]
    if not items:
        return None
    resume = session.execute(select(Job.resume).where(Job.id == items[0][0])).scalar_one()
    return RankInputs(batch, resume, items)


def ranks_first(session: Session, batch_id: uuid.UUID | None) -> bool:
    """Whether a job's batch ranks its items first: its queued items wait for the batch's
    ranking task, not a chain of their own."""
    if batch_id is None:
        return False
    tailor_top = session.execute(select(Batch.tailor_top).where(Batch.id == batch_id))
    return tailor_top.scalar_one_or_none() is not None


def lock_queued_items(session: Session, batch_id: uuid.UUID) -> set[uuid.UUID]:
    """The batch's items still queued, locked until commit: a cancel meanwhile waits, then
    finds its item already ranked, so the items chosen to tailor are exactly the live ones."""
    return set(session.execute(
        select(Job.id)
        .where(Job.batch_id == batch_id, Job.state == JobState.queued.value)
        .with_for_update()
    ).scalars())


def _store_statement(*, finished: bool) -> Any:
    # Bind names differ from the column names: SQLAlchemy reserves those in an UPDATE's SET.
    values: dict[str, Any] = {
        name: bindparam(f"v_{name}", type_=JOBS.c[name].type) for name in RANKED_COLUMNS}
    values |= {
        "state": bindparam("v_state"), "stages": bindparam("v_stages", type_=JSONB),
        "task_ids": bindparam("v_task_ids", type_=JSONB), "state_changed_at": func.now(),
        "updated_at": func.now(),
    }
    if finished:
        values["finished_at"] = func.now()
    return (update(JOBS)
            .where(JOBS.c.id == bindparam("v_id"), JOBS.c.state == JobState.queued.value)
            .values(values))


_STORE_RANKED = _store_statement(finished=True)
_STORE_TAILORED = _store_statement(finished=False)


def store_ranking(
    session: Session,
    batch_id: uuid.UUID,
    values: Mapping[uuid.UUID, Mapping[str, Any]],
    tailored: Mapping[uuid.UUID, Sequence[str]],
    stages: Mapping[str, Any],
) -> uuid.UUID | None:
    """Store each locked item's `values` (`RANKED_COLUMNS`) and `stages`; an item in
    `tailored` (with its chain's task ids) goes on to be tailored from the rewrite stage
    (state `scoring`, the state rewrite starts from), every other one ends `ranked`. Returns
    the batch webhook's delivery id when this finished the batch."""

    def params(job_id: uuid.UUID, state: JobState, task_ids: Sequence[str]) -> dict[str, Any]:
        row = {f"v_{name}": values[job_id].get(name) for name in RANKED_COLUMNS}
        return row | {"v_id": job_id, "v_state": state.value, "v_stages": stages,
                      "v_task_ids": list(task_ids)}

    ranked = [params(job_id, JobState.ranked, ()) for job_id in values if job_id not in tailored]
    chosen = [params(job_id, JobState.scoring, task_ids) for job_id, task_ids in tailored.items()]
    if chosen:
        session.execute(_STORE_TAILORED, chosen)
    if not ranked:
        return None
    session.execute(_STORE_RANKED, ranked)
    return count_batch_item(session, batch_id, JobState.ranked, count=len(ranked))
