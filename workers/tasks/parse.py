"""parse: posting text → JobAnalysis, through the Redis cache of analyses."""

from __future__ import annotations

import logging

import redis
from celery import Task

from workers import cache
from workers.ai import job_ai, usage_info
from workers.app import app
from workers.db.jobs import StageJob
from workers.tasks.base import StageResult, run_stage

log = logging.getLogger(__name__)

# The heavy job columns this stage reads.
INPUTS = ("posting",)


def parse_job(job: StageJob) -> StageResult:
    from pipeline.parse import parse_posting

    key = cache.analysis_key(job.tenant, job.posting)  # normalised and hashed once
    try:
        cached = cache.get_analysis(key)
    except redis.RedisError:
        # The cache only saves work; a cache outage must not stop the job.
        log.warning("analysis cache unavailable; parsing without it", exc_info=True)
        cached = None
    info: dict[str, object] = {"cache_hit": cached is not None}
    analysis = cached
    if analysis is None:
        analysis = parse_posting(job.posting)
        try:
            cache.put_analysis(key, analysis)
        except redis.RedisError:
            log.warning("could not cache the analysis", exc_info=True)
    # The cache holds the deterministic analysis; a model's additions are per provider (and
    # cached as model answers), so they are made after it.
    ai = job_ai(job.provider)
    if ai.chain is not None:
        enrichment, meter = ai.enrich(analysis)
        analysis = enrichment.analysis
        info |= usage_info(meter.usage())
    return StageResult({"analysis": analysis.model_dump(mode="json")}, info)


@app.task(bind=True, name="workers.tasks.parse.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "parse", parse_job, load=INPUTS)
