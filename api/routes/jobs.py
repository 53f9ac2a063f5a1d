"""`/v1/jobs`: submit, poll, download, cancel. The route validates and records; the workers
do the work."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import database, submit
from api.deps import IdempotencyKey, JobsRead, JobsWrite, SessionDep, SettingsDep, parse_id
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES, ApiProblem, not_found, problem_doc
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

router = APIRouter(prefix="/v1/jobs", tags=["jobs"],
                   responses={**PROBLEM_RESPONSES, **AUTH_RESPONSES})


def load(session: Session, tenant: str, job_id: str) -> tuple[Job, SkillNames | None]:
    found = status_reads.job_status(session, tenant, parse_id(job_id))
    if found is None:
        raise not_found("job")
    return found


@router.post("", status_code=202, response_model=JobOut,
             responses={200: {"model": JobOut, "description": "Replay of an earlier submit"}})
async def submit_job(
    body: JobCreate, request: Request, response: Response, caller: JobsWrite,
    settings: SettingsDep, idempotency_key: IdempotencyKey = None,
) -> JobOut | Response:
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


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, session: SessionDep, caller: JobsRead, settings: SettingsDep) -> JobOut:
    job, skills = load(session, caller.tenant, job_id)
    return job_out(job, settings, skills)


@router.get("/{job_id}/artifacts/{name}", status_code=302, response_class=RedirectResponse,
            responses={302: {"description": "Redirect to a presigned download URL"},
                       409: problem_doc("The job has not succeeded (yet)")})
def get_artifact(
    job_id: str, name: str, session: SessionDep, caller: JobsRead
) -> RedirectResponse:
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


@router.delete("/{job_id}", response_model=JobOut,
               responses={409: problem_doc("The job already finished")})
def cancel_job(
    job_id: str, session: SessionDep, caller: JobsWrite, settings: SettingsDep,
    purge: bool = Query(False, description="Also delete the resume, posting, outputs and "
                                           "artifacts now (a running job is cancelled first)."),
) -> JobOut:
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
