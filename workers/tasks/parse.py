"""parse: posting text → JobAnalysis, through the Redis cache of analyses."""

from __future__ import annotations

import logging

import redis
from celery import Task

from workers import cache
from workers.app import app
from workers.db.models import Job
from workers.tasks.base import StageResult, run_stage

log = logging.getLogger(__name__)


def parse_job(job: Job) -> StageResult:
    from pipeline.parse import analyze_posting

    try:
        cached = cache.get_analysis(job.posting)
    except redis.RedisError:
        # The cache only saves work; a cache outage must not stop the job.
        log.warning("analysis cache unavailable; parsing without it", exc_info=True)
        cached = None
    if cached is not None:
        return StageResult({"analysis": cached.model_dump(mode="json")}, {"cache_hit": True})
    analysis = analyze_posting(job.posting)
    try:
        cache.put_analysis(job.posting, analysis)
    except redis.RedisError:
        log.warning("could not cache the analysis", exc_info=True)
    return StageResult({"analysis": analysis.model_dump(mode="json")}, {"cache_hit": False})


@app.task(bind=True, name="workers.tasks.parse.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "parse", parse_job)
