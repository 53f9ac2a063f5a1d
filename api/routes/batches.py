"""`/v1/batches`: many jobs in one request, one chain each; the batch row counts them."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Annotated

import anyio.from_thread
from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from api import rate_limit, submit
from api.deps import (
    BatchesWrite,
    BatchIdPath,
    IdempotencyKey,
    JobsRead,
    SessionDep,
    SettingsDep,
    parse_id,
)
from api.errors import AUTHENTICATED, not_found, responses
from api.purge import cancel_unfinished, purge_jobs_now
from api.schemas import BatchAccepted, BatchCreate, BatchItemOut, BatchOut, RankedOut
from api.views import job_error, top_missing
from pipeline.models import FitParts
from workers import chain
from workers.db import batches, jobs, purges, status_reads
from workers.db.models import Batch, JobState

router = APIRouter(prefix="/v1/batches", tags=["batches"])


def batch_location(batch_id: object) -> str:
    return f"/v1/batches/{batch_id}"


@router.post(
    "", status_code=202, response_model=BatchAccepted, summary="Submit a batch",
    response_description="Accepted: the batch and its jobs, queued; its URL is in `Location`.",
    responses=responses(
        *AUTHENTICATED, "unreadable-body", "body-too-large", "validation-error",
        "idempotency-key-reused",
        _200={"model": BatchAccepted, "description": (
            "A replay: this `Idempotency-Key` was used before with the same body; the batch "
            "it created. Nothing new was queued."),
            "headers": {"Location": {"description": "The batch's URL.",
                                     "schema": {"type": "string"}}}},
        _202={"headers": {"Location": {"description": "The batch's URL, to poll.",
                                       "schema": {"type": "string"}}}},
    ),
)
def submit_batch(
    body: BatchCreate, request: Request, response: Response, session: SessionDep,
    caller: BatchesWrite, settings: SettingsDep, idempotency_key: IdempotencyKey = None,
) -> BatchAccepted:
    """Queue up to 500 tailorings in one request, one job each, in one of two shapes: one
    `resume` with `postings` (the postings are then ranked by how well they fit that resume),
    or `items`, each a resume with a posting. Every item is checked before anything is
    recorded; one bad item fails the whole request with a 422 naming it (`postings[3]`,
    `items[2].resume.work[0].startDate`), and nothing is created. Needs the `batches:write`
    scope. A batch counts as many units against the credential's rate limit as it has
    items (a batch larger than the limit waits for a fresh window).

    **Answer**: 202 with the batch id, its job ids in request order and its URL in
    `Location`. Each job is an ordinary job (`GET /v1/jobs/{job_id}`, artifacts, cancel).
    Poll the batch, or give a `webhook_url`: the batch announces itself once, with
    `batch.completed`, when every job has finished; its jobs send no webhooks of their own.

    **Idempotency**: as for a job, an `Idempotency-Key` with the same body answers 200 with
    the batch it created and queues nothing; with a different body it is a 422.

    **Errors**: 413 when the body exceeds the batch size limit, 422 for invalid input or a
    reused key, 503 when the database is unavailable."""
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


@router.get("/{batch_id}", response_model=BatchOut, summary="Get a batch",
            responses=responses(*AUTHENTICATED, "not-found"))
def get_batch(batch_id: BatchIdPath, session: SessionDep, caller: JobsRead) -> BatchOut:
    """The batch as it is now: `running` until every job has finished, then `completed`;
    how many jobs are in each state, each item with its job's state and match, and for a
    one-resume batch the `ranking` of the postings scored so far, best fit first (it grows
    as jobs get past scoring, so a posting's rank may change until the batch completes).

    Read-only and safe to repeat; poll with a growing interval (a batch of hundreds takes
    minutes). Needs the `jobs:read` scope.

    **Errors**: 404 when there is no such batch for your tenant, 503 when the database is
    unavailable."""
    return batch_out(session, caller.tenant, batch_id)


@router.delete("/{batch_id}", response_model=BatchOut, summary="Cancel (and purge) a batch",
               responses=responses(*AUTHENTICATED, "not-found", "validation-error"))
def cancel_batch(
    batch_id: BatchIdPath, session: SessionDep, caller: BatchesWrite,
    purge: Annotated[bool, Query(
        description="Also delete every item's resume, posting, stage outputs and artifacts "
                    "now, and the batch's webhook URL and sent deliveries. The answer is the "
                    "batch with `purged_at` set.",
        examples=[True])] = False,
) -> BatchOut:
    """Cancel every job of the batch that has not finished (as `DELETE /v1/jobs/{job_id}`
    does for one); jobs that already succeeded or failed keep their results. Once its last
    job is final the batch is `completed` and announces itself (`batch.completed`) as usual.
    Needs the `batches:write` scope.

    **Purge** (`?purge=true`): also delete the personal data of every job in it at once, as
    the retention period would later, and the batch's webhook URL and sent deliveries. The
    jobs and the batch keep their ids, states and counts and get `purged_at`.

    **Idempotent**: cancelling a batch with nothing left to cancel, or purging a purged one,
    answers 200 with the batch again; a finished batch is not an error.

    **Errors**: 404 when there is no such batch for your tenant; 422 when `purge` is not a
    boolean; 503 when the database is unavailable."""
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
