"""Rows → response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from api.schemas import JobError, JobOut, MatchSummary, StageTiming, UsageOut
from pipeline.models import SkillMatch, SkillState
from workers import storage
from workers.db.models import Job, JobState
from workers.db.status_reads import SkillNames
from workers.settings import STAGES, Settings
from workers.stage_times import recorded_usage, stage_runs


def job_location(job_id: object) -> str:
    return f"/v1/jobs/{job_id}"


def job_out(
    job: Job, settings: Settings, skills: SkillNames | None, *, presign: bool = True
) -> JobOut:
    """`skills` from `status_reads.job_status`, or `report_skills(job)` for a fully loaded row."""
    artifacts = None
    if presign and job.state == JobState.succeeded and job.artifacts:
        artifacts = {
            name: storage.presigned_url(key, filename=name)
            for name, key in sorted(job.artifacts.items())
        }
    return JobOut(
        id=job.id,
        state=job.state,
        template=job.template,
        provider=job.provider,
        batch_id=job.batch_id,
        label=job.label,
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
        stages=stage_timings(job.stages or {}),
        match=match_summary(job, skills),
        artifacts=artifacts,
        artifacts_expire_in_s=settings.presign_expiry_s if artifacts else None,
        error=job_error(job.error),
        usage=(usage := stage_usage(job.stages or {})),
        cost_usd=round(sum(row.cost_usd for row in usage), 6),
        ats=(job.stages or {}).get("compile", {}).get("ats", []),
        purged_at=job.purged_at,
    )


def stage_usage(stages: dict[str, Any]) -> list[UsageOut]:
    """The model calls the parse and rewrite stages recorded (workers/ai.py)."""
    return [UsageOut(stage=name, **row.model_dump())
            for name in STAGES for row in recorded_usage(stages, name)]


def stage_timings(stages: dict[str, Any]) -> list[StageTiming]:
    return [
        StageTiming(name=run.name, started_at=run.started_at, finished_at=run.finished_at,
                    duration_ms=run.duration_ms, attempts=run.attempts, cache_hit=run.cache_hit)
        for run in stage_runs(stages)
    ]


def report_skills(job: Job) -> SkillNames | None:
    report = job.report_after or job.report
    if not report:
        return None
    names: dict[SkillState, list[str]] = {state: [] for state in SkillState}
    for raw in report.get("skills") or []:
        skill = SkillMatch.model_validate(raw)
        names[skill.state].append(skill.name)
    return SkillNames(names[SkillState.shown], names[SkillState.absent],
                      names[SkillState.evidenced], names[SkillState.covered])


def match_summary(job: Job, skills: SkillNames | None) -> MatchSummary | None:
    """Rates before and after tailoring, and every skill by state (from the after-report when
    there is one: what the tailored resume shows). None are left out: a posting names a few
    dozen skills at most."""
    if job.match_rate is None and skills is None:
        return None
    return MatchSummary(
        match_rate_before=job.match_rate,
        match_rate_after=job.match_rate_after,
        matched=skills.matched if skills else [],
        evidenced=skills.evidenced if skills else [],
        missing=skills.missing if skills else [],
        covered=skills.covered if skills else [],
    )


def top_missing(report_skills: list[dict[str, Any]] | None, n: int = 5) -> list[str]:
    """Required skills in state absent, most important first (as `rank` lists them)."""
    skills = [SkillMatch.model_validate(s) for s in report_skills or []]
    return [s.name for s in skills if s.state == SkillState.absent and s.required][:n]


def queued_out(
    job_id: uuid.UUID, template: str, provider: str, created_at: datetime, updated_at: datetime
) -> JobOut:
    """The answer to a fresh submit, built from values the route already holds (the insert,
    `workers.db.jobs.insert_queued_job`, returns only the two timestamps): just queued, so no
    stage, match, artifact or error yet."""
    return JobOut(
        id=job_id, state=JobState.queued.value, template=template, provider=provider, batch_id=None,
        label=None, created_at=created_at, updated_at=updated_at, finished_at=None, stages=[],
        match=None, artifacts=None, artifacts_expire_in_s=None, error=None,
    )


def job_error(error: dict[str, Any] | None) -> JobError | None:
    if not error:
        return None
    return JobError(
        stage=error.get("stage"), type=error.get("type"),
        message=str(error.get("message", "")), field=error.get("field"),
    )
