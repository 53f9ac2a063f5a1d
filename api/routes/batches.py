"""`/v1/batches`: many jobs in one request, one chain each; the batch row counts them."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Response

from api import submit
from api.deps import BatchIdPath, IdempotencyKey, SessionDep, SettingsDep, TenantDep, parse_id
from api.errors import not_found, responses
from api.schemas import BatchAccepted, BatchCreate, BatchItemOut, BatchOut, RankedOut
from api.views import job_error, top_missing
from pipeline.models import FitParts
from workers import chain
from workers.db import batches, jobs, status_reads
from workers.db.models import Batch, JobState

router = APIRouter(prefix="/v1/batches", tags=["batches"])


def batch_location(batch_id: object) -> str:
    return f"/v1/batches/{batch_id}"


@router.post(
    "", status_code=202, response_model=BatchAccepted, summary="Submit a batch",
    response_description="Accepted: the batch and its jobs, queued; its URL is in `Location`.",
    responses=responses(
        "body-too-large", "validation-error", "idempotency-key-reused", "database-unavailable",
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
    body: BatchCreate, response: Response, session: SessionDep, tenant: TenantDep,
    settings: SettingsDep, idempotency_key: IdempotencyKey = None,
) -> BatchAccepted:
    """Queue up to 500 tailorings in one request, one job each, in one of two shapes: one
    `resume` with `postings` (the postings are then ranked by how well they fit that resume),
    or `items`, each a resume with a posting. Every item is checked before anything is
    recorded; one bad item fails the whole request with a 422 naming it (`postings[3]`,
    `items[2].resume.work[0].startDate`), and nothing is created.

    **Answer**: 202 with the batch id, its job ids in request order and its URL in
    `Location`. Each job is an ordinary job (`GET /v1/jobs/{job_id}`, artifacts, cancel).
    Poll the batch, or give a `webhook_url`: the batch announces itself once, with
    `batch.completed`, when every job has finished; its jobs send no webhooks of their own.

    **Idempotency**: as for a job, an `Idempotency-Key` with the same body answers 200 with
    the batch it created and queues nothing; with a different body it is a 422.

    **Errors**: 413 when the body exceeds the batch size limit, 422 for invalid input or a
    reused key, 503 when the database is unavailable."""
    submit.check_idempotency_key(idempotency_key)
    submit.check_template(body.template)
    submit.check_provider(body.provider, settings)
    submit.check_webhook_url(body.webhook_url, settings)
    items = _checked_items(body)
    fingerprint = submit.request_hash(body)

    batch, created = batches.create_batch(
        session, tenant=tenant, kind=body.kind, total=len(items), webhook_url=body.webhook_url,
        idempotency_key=idempotency_key, request_hash=fingerprint,
    )
    if not created:
        if batch.request_hash != fingerprint:
            raise submit.idempotency_conflict()
        session.commit()
        response.status_code = 200
        return _accepted(batch, [job.id for job in batches.batch_jobs(session, batch.id)],
                         response)
    job_ids = []
    for index, (label, resume, posting) in enumerate(items):
        # Per-item webhooks are not sent: the batch announces itself once, when complete.
        job, _ = jobs.create_job(
            session, tenant=tenant, resume=resume, posting=posting, template=body.template,
            provider=body.provider, batch_id=batch.id, batch_item=index, label=label,
        )
        job_ids.append(job.id)
    chains = chain.plan_chains(session, job_ids)
    session.commit()
    chain.send_after_commit(chains)  # after the commit, never before
    return _accepted(batch, job_ids, response)


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
            responses=responses("not-found", "database-unavailable"))
def get_batch(batch_id: BatchIdPath, session: SessionDep, tenant: TenantDep) -> BatchOut:
    """The batch as it is now: `running` until every job has finished, then `completed`;
    how many jobs are in each state, each item with its job's state and match, and for a
    one-resume batch the `ranking` of the postings scored so far, best fit first (it grows
    as jobs get past scoring, so a posting's rank may change until the batch completes).

    Read-only and safe to repeat; poll with a growing interval (a batch of hundreds takes
    minutes).

    **Errors**: 404 when there is no such batch for your tenant, 503 when the database is
    unavailable."""
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
        counts={state.value: counts.get(state.value, 0) for state in JobState},
        created_at=batch.created_at, finished_at=batch.finished_at, items=items,
        ranking=ranking,
    )
