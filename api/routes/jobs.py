"""`/v1/jobs`: submit, poll, download, cancel. The route validates and records; the workers
do the work."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import database, submit
from api.deps import (
    IdempotencyKey,
    JobIdPath,
    JobsRead,
    JobsWrite,
    SessionDep,
    SettingsDep,
    parse_id,
)
from api.errors import AUTHENTICATED, ApiProblem, not_found, responses
from api.purge import purge_jobs_now
from api.schemas import ARTIFACT_NAMES, JobCreate, JobOut
from api.views import job_location, job_out, queued_out, report_skills
from workers import chain, storage
from workers import logging as logs
from workers.db import jobs, status_reads, transitions
from workers.db.models import Job, JobState
from workers.db.session import new_session
from workers.db.status_reads import SkillNames
from workers.settings import Settings

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


def load(session: Session, tenant: str, job_id: str) -> tuple[Job, SkillNames | None]:
    found = status_reads.job_status(session, tenant, parse_id(job_id))
    if found is None:
        raise not_found("job")
    return found


@router.post(
    "", status_code=202, response_model=JobOut, summary="Submit a job",
    response_description="Accepted: the job, `queued`; its URL is in `Location`.",
    responses=responses(
        *AUTHENTICATED, "unreadable-body", "body-too-large", "validation-error",
        "idempotency-key-reused",
        _200={"model": JobOut, "description": (
            "A replay: this `Idempotency-Key` was used before with the same body; the "
            "job it created, as it is now. Nothing new was queued."),
            "headers": {"Location": {"description": "The job's URL.",
                                     "schema": {"type": "string"}}}},
        _202={"headers": {"Location": {"description": "The job's URL, to poll.",
                                       "schema": {"type": "string"}}}},
    ),
)
async def submit_job(
    body: JobCreate, request: Request, response: Response, caller: JobsWrite,
    settings: SettingsDep, idempotency_key: IdempotencyKey = None,
) -> JobOut | Response:
    """Queue one tailoring: a JSON Resume and a job posting in, a one-page PDF (and the other
    artifacts) out. The body is checked in full before anything is recorded (the resume
    against JSON Resume, the template and provider against what this server offers, the
    webhook URL against the SSRF guard); an invalid body is a 422 naming every bad field, and
    nothing is created. Needs the `jobs:write` scope; the job belongs to the credential's
    tenant.

    **Answer**: 202 with the job (`state: queued`) and its URL in `Location`. Poll it
    (`GET /v1/jobs/{job_id}`) or give a `webhook_url` to be told once it succeeds or fails.

    **Idempotency**: send an `Idempotency-Key` (any 1 to 255 printable characters, unique per
    job you mean) to make the submit safe to retry: the same key with the same body answers
    200 with the job the first request created, and queues nothing; the same key with a
    different body is a 422 (`idempotency-key-reused`). Without a key every submit creates a
    job. Keys are per tenant and kept until the job is purged (on request, or after the
    retention period); after that the same key creates a new job.

    **Errors**: 413 when the body exceeds the size limit, 422 for invalid input or a reused
    key, 503 when the database is unavailable (retry after `Retry-After`; with a key, a retry
    cannot create a second job)."""
    tenant = caller.tenant
    # In the event loop (see api.database): checks are CPU only, the insert awaits, and
    # anything that could block (a DNS lookup, the replay's queries) goes to a thread.
    submit.check_idempotency_key(idempotency_key)
    resume = submit.checked_resume(body.resume)
    posting = submit.posting_text(body.posting)
    submit.check_template(body.template)
    submit.check_provider(body.provider, settings)
    # The lookup runs in the guard's own threads, within `webhook_dns_timeout_s`.
    await submit.check_webhook_url_async(body.webhook_url, settings)
    fingerprint = submit.request_hash(body)

    job_id = uuid.uuid4()
    logs.bind(job_id=str(job_id))
    job_chain = chain.build_chain(job_id)
    created = await database.insert_queued_job(request.app.state.submit_engine,
                                               jobs.queued_job_row(
        job_id=job_id, tenant=tenant, resume=resume, posting=posting,
        template=body.template, provider=body.provider, documents=list(body.documents),
        webhook_url=body.webhook_url,
        idempotency_key=idempotency_key, request_hash=fingerprint, task_ids=job_chain.task_ids,
    ))
    if created is None:  # the key was used before: a replay, or a conflicting reuse
        return await run_in_threadpool(replay, tenant, idempotency_key, fingerprint, response,
                                       settings)
    # Only now, with the row committed, may a worker see it.
    await chain.send_from_loop(job_chain)
    # Serialised here, once: returned as a model, FastAPI would validate it again against
    # `response_model` first (the hot path's answer is built from trusted values).
    out = queued_out(job_id, body.template, body.provider, *created)
    return Response(out.model_dump_json(), status_code=202, media_type="application/json",
                    headers={"Location": job_location(job_id)})


def replay(
    tenant: str, idempotency_key: str | None, fingerprint: str, response: Response,
    settings: Settings,
) -> JobOut:
    """The answer to a submit whose key the tenant already used: that job, if the bodies
    match (200, nothing new enqueued)."""
    assert idempotency_key is not None  # without a key there is no conflict to hit
    with new_session() as session:
        found = status_reads.job_by_key(session, tenant, idempotency_key)
        if found is None:  # the other job is gone (never, barring manual deletes)
            raise not_found("job")
        job, skills = found
        if job.request_hash != fingerprint:
            raise submit.idempotency_conflict()
        response.headers["Location"] = job_location(job.id)
        response.status_code = 200
        return job_out(job, settings, skills)


@router.get("/{job_id}", response_model=JobOut, summary="Get a job",
            responses=responses(*AUTHENTICATED, "not-found"))
def get_job(
    job_id: JobIdPath, session: SessionDep, caller: JobsRead, settings: SettingsDep
) -> JobOut:
    """The job as it is now: its `state` (`queued → parsing → scoring → rewriting → compiling
    → uploading → succeeded`, or `failed` / `cancelled`, or `ranked` for a rank-first batch's
    item that was scored but not tailored), the stages run so far with their
    timings, the match before and after tailoring once scored, and once `succeeded` presigned
    download URLs of its artifacts (valid `artifacts_expire_in_s` seconds; poll again for
    fresh ones). A failed job carries `error`, naming the stage and, for bad input, the field.
    A purged job (`purged_at`) keeps its state and timings but no resume, posting, outputs or
    artifacts.

    Read-only and safe to repeat. Poll with a growing interval (start near 1 s, cap near
    10 s): a job takes seconds to a minute. A `Retry-After` on a 429 or 503 says when to
    retry. Needs the `jobs:read` scope.

    **Errors**: 404 when there is no such job for your tenant (a malformed id included), 503
    when the database is unavailable."""
    job, skills = load(session, caller.tenant, job_id)
    return job_out(job, settings, skills)


@router.get(
    "/{job_id}/artifacts/{name}", status_code=302, summary="Download an artifact",
    response_class=RedirectResponse,
    responses=responses(
        *AUTHENTICATED, "not-found", "artifact-not-ready",
        _302={"description": (
            "A redirect to a presigned URL of the file, valid for minutes; follow it "
            "(`curl -L`). Not cacheable: ask again for a fresh URL."),
            "headers": {"Location": {"description": "The presigned download URL.",
                                     "schema": {"type": "string", "format": "uri"}}}},
    ),
)
def get_artifact(
    job_id: JobIdPath,
    name: Annotated[str, Path(
        description="The artifact's file name: `resume.pdf`, `resume.tex`, `report.json`, "
                    "`tailored.json`, and with a letter `letter.pdf`, `letter.tex`, "
                    "`letter.md` (`GET /v1/meta` lists them).",
        examples=["resume.pdf"])],
    session: SessionDep, caller: JobsRead,
) -> RedirectResponse:
    """One file the job wrote, as a 302 redirect to a presigned URL in the object store
    (the file itself never passes through the API). The URL expires in minutes and carries
    its own signature: send no credentials when following it (the object store does not
    take them). Needs the `jobs:read` scope.

    Read-only and safe to repeat; each answer signs a new URL.

    **Errors**: 404 for an unknown job or artifact name; 409 (`artifact-not-ready`) while the
    job has not succeeded; 503 when the database is unavailable."""
    job, _ = load(session, caller.tenant, job_id)
    if name not in ARTIFACT_NAMES:
        raise not_found(f"artifact {name!r} (one of {', '.join(ARTIFACT_NAMES)})")
    key = (job.artifacts or {}).get(name)
    if job.state != JobState.succeeded or key is None:
        raise ApiProblem(
            409, "Not ready", f"the job is {job.state}; artifacts exist once it succeeded",
            slug="artifact-not-ready",
        )
    # The signed URL expires in minutes: no cache may keep the redirect longer.
    return RedirectResponse(storage.presigned_url(key, filename=name), status_code=302,
                            headers={"Cache-Control": "no-store"})


@router.delete("/{job_id}", response_model=JobOut, summary="Cancel (and purge) a job",
               responses=responses(*AUTHENTICATED, "not-found", "job-finished",
                                   "validation-error"))
def cancel_job(
    job_id: JobIdPath, session: SessionDep, caller: JobsWrite, settings: SettingsDep,
    purge: Annotated[bool, Query(
        description="Also delete the job's resume, posting, stage outputs and artifacts now "
                    "(a running job is cancelled first). The answer is the job with "
                    "`purged_at` set; purging a finished or purged job is not an error.",
        examples=[True])] = False,
) -> JobOut:
    """Stop a job that has not finished: its state becomes `cancelled` at once, the stages
    not yet started never run, and a stage already running is not interrupted but cannot
    move the job on: it stays cancelled, with no artifacts. A cancelled job sends no
    webhook; a job in a batch counts as cancelled in it. Needs the `jobs:write` scope.

    **Purge** (`?purge=true`): also delete the job's personal data at once, as the retention
    period would later: the resume, the posting, every stage's output and the artifacts in
    the object store. The job keeps its id, state and timings and gets `purged_at`. A job
    that already succeeded or failed can be purged (it is not cancelled then).

    **Idempotent**: cancelling a cancelled job answers 200 with the job again; so does
    purging a purged one.

    **Errors**: 404 when there is no such job; 409 (`job-finished`) when, without `purge`,
    it already succeeded or failed; 422 when `purge` is not a boolean; 503 when the database
    is unavailable."""
    tenant = caller.tenant
    change = transitions.cancel_job(session, tenant, parse_id(job_id))
    if purge:
        return _purge(session, tenant, job_id, change, settings)
    if change.job is None:
        job, skills = load(session, tenant, job_id)  # 404 when missing or another tenant's
        if job.state == JobState.cancelled:
            return job_out(job, settings, skills)  # cancelling twice is fine
        raise ApiProblem(
            409, "Already finished", f"the job is {job.state} and can no longer be cancelled",
            slug="job-finished",
        )
    session.commit()
    # Cancelled in Postgres first (every task checks the state when it starts); the revoke
    # only spares workers from picking up the remaining tasks.
    chain.revoke(change.job.task_ids or [])
    chain.send_deliveries(change.deliveries)
    return job_out(change.job, settings, report_skills(change.job), presign=False)


def _purge(
    session: Session, tenant: str, job_id: str, change: transitions.Change, settings: Settings
) -> JobOut:
    if change.job is None:
        load(session, tenant, job_id)  # 404 when missing or another tenant's
    session.commit()
    if change.job is not None:
        chain.revoke(change.job.task_ids or [])
        chain.send_deliveries(change.deliveries)
    purge_jobs_now(session, tenant, [parse_id(job_id)])
    job, skills = load(session, tenant, job_id)
    return job_out(job, settings, skills, presign=False)
