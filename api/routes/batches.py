"""`/v1/batches`: many jobs in one request, one chain each; the batch row counts them."""

from __future__ import annotations

import uuid
from collections import Counter

import anyio.from_thread
from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from api import rate_limit, submit
from api.deps import (
    BatchesWrite,
    IdempotencyKey,
    JobsRead,
    SessionDep,
    SettingsDep,
    parse_id,
)
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES, not_found
from api.purge import cancel_unfinished, purge_jobs_now
from api.schemas import BatchAccepted, BatchCreate, BatchItemOut, BatchOut, RankedOut
from api.views import job_error, top_missing
from pipeline.models import FitParts
from workers import chain
from workers.db import batches, jobs, purges, status_reads
from workers.db.models import Batch, JobState

router = APIRouter(prefix="/v1/batches", tags=["batches"],
                   responses={**PROBLEM_RESPONSES, **AUTH_RESPONSES})


def batch_location(batch_id: object) -> str:
    return f"/v1/batches/{batch_id}"


@router.post("", status_code=202, response_model=BatchAccepted,
             responses={200: {"model": BatchAccepted, "description": "Replay"}})
def submit_batch(
    body: BatchCreate, request: Request, response: Response, session: SessionDep,
    caller: BatchesWrite, settings: SettingsDep, idempotency_key: IdempotencyKey = None,
) -> BatchAccepted:
    tenant = caller.tenant
    submit.check_idempotency_key(idempotency_key)
    submit.check_template(body.template)
    submit.check_provider(body.provider, settings)
    submit.check_webhook_url(body.webhook_url, settings)
    items = _checked_items(body)
    # A batch is as much work as its items: the request already counted one.
    if len(items) > 1:
        anyio.from_thread.run(rate_limit.charge_credential, request, caller, settings,
                              len(items) - 1)
    fingerprint = submit.request_hash(body)

    tailor_top = body.ranking_tailors  # None: every item tailored as it goes
    batch, created = batches.create_batch(
        session, tenant=tenant, kind=body.kind, total=len(items), webhook_url=body.webhook_url,
        idempotency_key=idempotency_key, request_hash=fingerprint, tailor_top=tailor_top,
    )
    if not created:
        if batch.request_hash != fingerprint:
            raise submit.idempotency_conflict()
        session.commit()
        response.status_code = 200
        return _accepted(batch, [job.id for job in batches.batch_jobs(session, batch.id)],
                         response)
    rows, chains = [], []
    for index, (label, resume, posting) in enumerate(items):
        job_id = uuid.uuid4()
        # A rank-first item has no chain of its own: the batch's ranking task sends the best.
        planned = None if tailor_top is not None else chain.build_chain(job_id)
        # Per-item webhooks are not sent: the batch announces itself once, when complete.
        rows.append(jobs.queued_job_row(
            tenant=tenant, resume=resume, posting=posting, template=body.template,
            provider=body.provider, batch_id=batch.id, batch_item=index, label=label,
            job_id=job_id, task_ids=planned.task_ids if planned else ()))
        chains += [planned] if planned else []
    jobs.insert_jobs(session, rows)
    session.commit()
    # After the commit, never before.
    if tailor_top is not None:
        chain.send_batch_rank(batch.id)
    else:
        chain.send_after_commit(chains)
    return _accepted(batch, [row["id"] for row in rows], response)


def _checked_items(body: BatchCreate) -> list[tuple[str | None, dict[str, object], str]]:
    """(label, stored resume, posting) per item; the resume of a one-resume batch is checked
    (and serialised) once."""
    if body.kind == "one_resume":
        assert body.resume is not None
        shared = submit.checked_resume(body.resume)
        return [
            (label, shared, submit.posting_text(posting, field=f"postings[{index}]"))
            for index, (label, _, posting) in enumerate(body.pairs())
        ]
    return [
        (label, submit.checked_resume(resume, field=f"items[{index}].resume"),
         submit.posting_text(posting, field=f"items[{index}].posting"))
        for index, (label, resume, posting) in enumerate(body.pairs())
    ]


def _accepted(batch: Batch, job_ids: list, response: Response) -> BatchAccepted:
    location = batch_location(batch.id)
    response.headers["Location"] = location
    return BatchAccepted(id=batch.id, total=batch.total, job_ids=job_ids, location=location)


@router.get("/{batch_id}", response_model=BatchOut)
def get_batch(batch_id: str, session: SessionDep, caller: JobsRead) -> BatchOut:
    return batch_out(session, caller.tenant, batch_id)


@router.delete("/{batch_id}", response_model=BatchOut)
def cancel_batch(
    batch_id: str, session: SessionDep, caller: BatchesWrite,
    purge: bool = Query(False, description="Also delete every item's resume, posting, outputs "
                                           "and artifacts now."),
) -> BatchOut:
    """Cancel the batch's unfinished items; with `purge`, delete their personal data too."""
    tenant = caller.tenant
    batch = batches.get_batch(session, tenant, parse_id(batch_id, "batch"))
    if batch is None:
        raise not_found("batch")
    job_ids = purges.batch_job_ids(session, batch.id)
    cancel_unfinished(session, tenant, job_ids)
    if purge:
        purge_jobs_now(session, tenant, job_ids)
        purges.purge_batch(session, batch.id)
        session.commit()
        session.expire_all()
    return batch_out(session, tenant, batch_id)


def batch_out(session: Session, tenant: str, batch_id: str) -> BatchOut:
    batch = batches.get_batch(session, tenant, parse_id(batch_id, "batch"))
    if batch is None:
        raise not_found("batch")
    rows = status_reads.batch_items(session, tenant, batch.id)
    counts = Counter(row.state for row in rows)
    items = [
        BatchItemOut(
            index=row.index if row.index is not None else position, job_id=row.job_id,
            label=row.label, state=row.state, match_rate=row.match_rate,
            match_rate_after=row.match_rate_after, fit=row.fit, error=job_error(row.error),
        )
        for position, row in enumerate(rows)
    ]
    ranking = None
    if batch.kind == "one_resume":
        # By fit (pipeline.rank.fit) of the resume as written, not by match rate: a posting that
        # asks for little would otherwise come first.
        scored = sorted(
            (row for row in rows if row.fit is not None),
            key=lambda row: (-(row.fit or 0.0), row.index or 0),
        )
        ranking = [
            RankedOut(
                rank=rank, index=row.index or 0, job_id=row.job_id, label=row.label,
                title=row.title, fit=row.fit or 0.0,
                fit_parts=FitParts.model_validate(row.fit_parts) if row.fit_parts else None,
                match_rate=row.match_rate or 0.0, top_missing=top_missing(row.skills),
            )
            for rank, row in enumerate(scored, start=1)
        ]
    return BatchOut(
        id=batch.id, kind=batch.kind, state=batch.state, total=batch.total,
        mode="rank_first" if batch.ranks_first else "tailor_all", tailor_top=batch.tailor_top,
        counts={state.value: counts.get(state.value, 0) for state in JobState},
        created_at=batch.created_at, finished_at=batch.finished_at,
        purged_at=batch.purged_at, items=items,
        ranking=ranking,
    )
