"""The service's own Prometheus metrics: jobs by outcome, stage and job durations, retries,
tasks running, TeX compiles per job, webhook attempts.

Every process that changes a job counts here: the workers' pool children (stages, retries,
compiles, webhooks, failures), the API (cancellations) and beat's reaper task. With
PROMETHEUS_MULTIPROC_DIR set before prometheus_client is first imported, each process writes
its values to files in that directory, and one reader adds them up: a worker's exporter
(`workers.metrics_server`) or the API's `/metrics` (`api.metrics`). Without it the values live
in the process that counted them.

The metrics belong to no registry here: a reader registers them (`register`) or reads the
files, so tests can build as many readers as they like.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from workers.db.models import Job
    from workers.webhooks.post import Attempt

# Every metric this service defines starts with this (tests/deploy/test_monitoring.py relies on
# it to tell the service's metrics from Prometheus' functions and other exporters' metrics).
PREFIX = "resume_tailor_"

JOBS_FINISHED = Counter(
    f"{PREFIX}jobs_finished", "Jobs that reached a final state, counted when it was committed",
    ["outcome", "template", "provider"], registry=None,
)
JOB_DURATION = Histogram(
    f"{PREFIX}job_duration_seconds", "From submit to the final state", ["outcome"],
    buckets=(1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600), registry=None,
)
STAGE_DURATION = Histogram(
    f"{PREFIX}stage_duration_seconds",
    "Wall time of one stage task run, by how the run ended (success, retry, ignored, failure)",
    ["stage", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300), registry=None,
)
TASKS_RUNNING = Gauge(
    f"{PREFIX}tasks_running", "Tasks running now, by task (parse ... upload, webhooks, reaper)",
    ["task"], multiprocess_mode="livesum", registry=None,
)
TASK_RETRIES = Counter(
    f"{PREFIX}task_retries", "Task retries scheduled, by task and the error that caused them",
    ["task", "reason"], registry=None,
)
TEX_COMPILES = Histogram(
    f"{PREFIX}tex_compiles",
    "TeX runs one compile stage used for a document, fitting to one page included",
    ["document", "template"], buckets=(1, 2, 3, 4, 5, 6, 8, 10, 15, 20), registry=None,
)
WEBHOOK_ATTEMPTS = Counter(
    f"{PREFIX}webhook_attempts",
    "Webhook delivery attempts: delivered (2xx), http_error, no_response, refused (SSRF guard)",
    ["outcome"], registry=None,
)
WEBHOOK_ATTEMPT_DURATION = Histogram(
    f"{PREFIX}webhook_attempt_duration_seconds", "Time one webhook attempt took", ["outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30), registry=None,
)
WEBHOOK_GIVEN_UP = Counter(
    f"{PREFIX}webhook_deliveries_failed",
    "Webhook deliveries given up: exhausted (every scheduled attempt failed), gone (410), "
    "refused (SSRF guard)",
    ["reason"], registry=None,
)

ALL = (JOBS_FINISHED, JOB_DURATION, STAGE_DURATION, TASKS_RUNNING, TASK_RETRIES, TEX_COMPILES,
       WEBHOOK_ATTEMPTS, WEBHOOK_ATTEMPT_DURATION, WEBHOOK_GIVEN_UP)


def register(registry: CollectorRegistry) -> CollectorRegistry:
    """Add every metric above to `registry` (a process reading its own values)."""
    for metric in ALL:
        registry.register(metric)
    return registry


# ---------------------------------------------------------------- jobs, counted after commit

_FINISHED_KEY = "resume_tailor.finished_jobs"


@dataclass(frozen=True)
class _Finished:
    outcome: str
    template: str
    provider: str
    seconds: float | None


def job_finished(session: Session, job: Job) -> None:
    """Note that `job` reached a final state in `session`'s transaction; it is counted when
    that transaction commits (a rolled-back change is not a finished job). The values are
    copied now: after the commit the instance's attributes may be expired."""
    seconds = None
    if job.finished_at is not None and job.created_at is not None:
        seconds = max(0.0, (job.finished_at - job.created_at).total_seconds())
    session.info.setdefault(_FINISHED_KEY, []).append(
        _Finished(str(job.state), job.template or "", job.provider or "", seconds))


@event.listens_for(Session, "after_commit")
def _count_committed(session: Session) -> None:
    for done in session.info.pop(_FINISHED_KEY, ()):
        JOBS_FINISHED.labels(done.outcome, done.template, done.provider).inc()
        if done.seconds is not None:
            JOB_DURATION.labels(done.outcome).observe(done.seconds)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_FINISHED_KEY, None)


# ---------------------------------------------------------------- compiles, webhooks


def tex_compiles(document: str, template: str, compiles: int) -> None:
    TEX_COMPILES.labels(document, template).observe(compiles)


def webhook_attempt(result: Attempt) -> None:
    if result.refused:
        outcome = "refused"
    elif result.ok:
        outcome = "delivered"
    elif result.status_code is None:
        outcome = "no_response"
    else:
        outcome = "http_error"
    WEBHOOK_ATTEMPTS.labels(outcome).inc()
    WEBHOOK_ATTEMPT_DURATION.labels(outcome).observe(result.duration_ms / 1000)


def webhook_given_up(result: Attempt) -> None:
    reason = "refused" if result.refused else "gone" if result.gone else "exhausted"
    WEBHOOK_GIVEN_UP.labels(reason).inc()


# ---------------------------------------------------------------- names, for tests and docs


def sample_names(families: Iterable[Any]) -> set[str]:
    """The sample names a scrape can show for these metric families (as `describe` or
    `collect` give them): `x_total` for a counter, `x_bucket`/`x_sum`/`x_count` for a
    histogram, and so on. The `_created` samples are left out: nothing queries them."""
    suffixes = {
        "counter": ("_total",),
        "histogram": ("_bucket", "_sum", "_count"),
        "summary": ("", "_sum", "_count"),
        "gauge": ("",),
        "info": ("_info",),
        "stateset": ("",),
        "unknown": ("",),
    }
    return {f"{family.name}{suffix}" for family in families
            for suffix in suffixes.get(family.type, ("",))}
