"""The Celery app (`celery -A workers worker -Q compile`).

All routing lives in `TASK_ROUTES`, by task-name pattern, never in `@task(queue=...)`.
Configuration is built from the settings when the app is first configured, so a process that
changes `RT_*` before using the app (tests, the admin command) gets what it set.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
from collections.abc import Iterator, Mapping
from typing import Any

from celery import Celery
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_init,
)

from workers import logging as logs
from workers.broker import TRANSPORT
from workers.pool_upkeep import PoolUpkeep
from workers.settings import QUEUES, STAGES, Settings, get_settings
from workers.solo_limits import SoloLimits

# task-name pattern → queue (before the deployment's key prefix)
TASK_ROUTES: dict[str, str] = {
    **{f"workers.tasks.{stage}.*": stage for stage in STAGES},
    # A rank-first batch's ranking is parse and score work over every item: the parse pool.
    "workers.tasks.rank.*": "parse",
    "workers.webhooks.*": "webhooks",
    # The reaper is light housekeeping; it shares the webhooks pool rather than adding a queue.
    "workers.reaper.*": "webhooks",
    # So is the retention sweep (personal data deleted after `retention_days`).
    "workers.retention_task.*": "webhooks",
}

# The stage tasks by stage, in chain order; the chain builder sends them by name, so a
# process that only enqueues (the API) never imports the pipeline.
STAGE_TASKS: dict[str, str] = {stage: f"workers.tasks.{stage}.run" for stage in STAGES}
RANK_TASK = "workers.tasks.rank.run"
REAP_TASK = "workers.reaper.reap"
RETENTION_TASK = "workers.retention_task.purge_expired"
# A sweep deletes S3 objects job by job: give it longer than the reaper.
RETENTION_SOFT_LIMIT_S = 600.0
DELIVER_TASK = "workers.webhooks.deliver"
SWEEP_TASK = "workers.webhooks.sweep"

# How each queue's worker runs its tasks (`celery worker -P`). The light stages run one task at
# a time in the worker's own process: a prefork pool of one child only added a hand-off per
# task (~1.3 ms of CPU; workers.solo_limits gives the solo pool the time limits and the memory
# bound). Compile runs several TeX processes at once in a prefork pool. Webhooks stays prefork
# too: its parent answers pings while the retention sweep (up to ten minutes) runs in a child.
SOLO_QUEUES = frozenset({"parse", "score", "rewrite", "upload"})


def worker_pool(queue: str) -> str:
    return "solo" if queue in SOLO_QUEUES else "prefork"


def longest_time_limit_s(queue: str, settings: Settings) -> float:
    """The longest hard time limit among the tasks routed to `queue`: how long a worker may
    be busy with one task (a stop's grace, a solo worker's unanswered pings)."""
    annotations = build_config(settings)["task_annotations"]
    return max(limits["time_limit"] for name, limits in annotations.items()
               if any(fnmatch.fnmatchcase(name, pattern) and routed == queue
                      for pattern, routed in TASK_ROUTES.items()))


app = Celery(
    "resume_tailor",
    include=[*(f"workers.tasks.{stage}" for stage in STAGES), "workers.tasks.rank",
             "workers.reaper", "workers.retention_task", "workers.webhooks.tasks"],
    # Remembers each message's request id before Celery logs its receipt.
    task_cls="workers.logging:ContextTask",
)


def build_config(settings: Settings) -> dict[str, Any]:
    transport: dict[str, Any] = {"visibility_timeout": settings.visibility_timeout_s}
    if settings.broker_url.startswith(("redis", "rediss")):
        transport["socket_timeout"] = settings.broker_socket_timeout_s
        transport["socket_connect_timeout"] = settings.broker_socket_timeout_s
        if settings.key_prefix:
            transport["global_keyprefix"] = settings.key_prefix
    config: dict[str, Any] = {
        "broker_url": settings.broker_url,
        # Redis URLs: kombu's transport, reusing its client (see workers.broker); AMQP: kombu's.
        "broker_transport": (
            TRANSPORT if settings.broker_url.startswith(("redis://", "rediss://")) else None
        ),
        "result_backend": settings.result_backend,
        "broker_transport_options": transport,
        "result_backend_transport_options": dict(transport),
        "broker_connection_retry_on_startup": True,
        "task_routes": {
            pattern: {"queue": settings.queue_name(queue)} for pattern, queue in TASK_ROUTES.items()
        },
        "task_default_queue": settings.queue_name("default"),
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # Countdown retries bypass the prefetch limit; cap how many one worker holds.
        "worker_eta_task_limit": 10,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_mb * 1024,  # KiB
        "worker_send_task_events": settings.task_events,
        "task_send_sent_event": settings.task_events,
        "task_track_started": True,
        # Job state lives in Postgres; results are not read, so don't store them.
        "task_ignore_result": True,
        "result_expires": 24 * 3600,
        "timezone": "UTC",
        "enable_utc": True,
        "task_annotations": {
            name: {
                "soft_time_limit": settings.soft_time_limit_s(stage),
                "time_limit": settings.time_limit_s(stage),
            }
            for stage, name in {
                **STAGE_TASKS,
                "reaper": REAP_TASK,
                "webhooks": DELIVER_TASK,
                "rank": RANK_TASK,
            }.items()
        } | {
            RETENTION_TASK: {
                "soft_time_limit": RETENTION_SOFT_LIMIT_S,
                "time_limit": RETENTION_SOFT_LIMIT_S + settings.time_limit_grace_s,
            },
        },
        "beat_schedule": {
            "reap-stuck-jobs": {
                "task": REAP_TASK,
                "schedule": float(settings.reaper_interval_s),
                # A run not started by the next one's time is dropped (its pool was busy or
                # down), so runs never pile up behind each other.
                "options": {"expires": float(settings.reaper_interval_s)},
            },
            # Outbox rows no message carries: long webhook retries, sends lost after commit.
            "sweep-webhook-outbox": {"task": SWEEP_TASK, "schedule": 30.0},
            "purge-expired-personal-data": {
                "task": RETENTION_TASK,
                "schedule": float(settings.retention_interval_s),
            },
        },
    }
    return config


class _ConfigFromSettings(Mapping[str, Any]):
    """The app's configuration, built from the settings when Celery first reads it (so after
    the process's environment is final, not at import). Given as the app's config source
    rather than written into `app.conf` from `on_configure`: that handler ran while Celery was
    finalizing `app.conf`, and under concurrent first use (the API's submit threads) its
    update re-entered the finalization until the recursion limit."""

    @functools.cached_property
    def _config(self) -> dict[str, Any]:
        return build_config(get_settings())

    def __getitem__(self, key: str) -> Any:
        return self._config[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._config)

    def __len__(self) -> int:
        return len(self._config)


app.config_from_object(_ConfigFromSettings())
app.steps["worker"].add(PoolUpkeep)
app.steps["worker"].add(SoloLimits)


@setup_logging.connect
def _setup_logging(**_: Any) -> None:
    # Connected, so Celery configures no logging of its own (nor redirects stdout into it).
    settings = get_settings()
    logs.configure(json=settings.log_format == "json", level=settings.log_level)


@before_task_publish.connect
def _carry_context(headers: dict[str, Any] | None = None, **_: Any) -> None:
    # Whatever sends a task (the API's submit, a stage sending the next, a retry, a webhook
    # delivery) passes its request id and tenant on in the message's headers.
    if headers is not None:
        for header, value in logs.carried_headers().items():
            headers.setdefault(header, value)


@task_prerun.connect
def _bind_task_context(task_id: str = "", task: Any = None, args: Any = None,
                       **_: Any) -> None:
    logs.clear()
    request = getattr(task, "request", None)
    carried = logs.context_from_headers(getattr(request, "__dict__", None))
    carried |= logs.context_from_headers(getattr(request, "headers", None))
    job_id = logs.stage_job_id(getattr(task, "name", None), args)
    logs.bind(task_id=task_id, task=getattr(task, "name", None), **carried,
              **({"job_id": job_id} if job_id else {}))


@task_postrun.connect
def _unbind_task_context(**_: Any) -> None:
    logs.clear()


# Pipeline modules each queue's tasks use. A worker loads those of its queues (and the skills
# matcher) in the main process before the pool forks: children share them copy-on-write, and
# no task pays for loading them (which would also eat into its time limit).
PRELOAD: dict[str, tuple[str, ...]] = {
    "parse": ("pipeline.parse", "pipeline.rank"),  # rank-first batches rank on this queue
    "score": ("pipeline.score",),
    "rewrite": ("pipeline.rewrite",),
    "compile": ("pipeline.compile", "pipeline.tailor"),
    "upload": ("pipeline.score",),
}


@worker_init.connect
def _preload(sender: Any = None, **_: Any) -> None:
    import importlib

    from workers.db.session import configure_connections

    settings = get_settings()
    consumed = set(getattr(getattr(sender, "app", app).amqp.queues, "consume_from", None) or {})
    configure_connections("resume-tailor-worker " + ",".join(
        sorted(queue for queue in QUEUES if settings.queue_name(queue) in consumed)))
    modules = {
        module
        for queue, names in PRELOAD.items()
        if settings.queue_name(queue) in consumed
        for module in names
    }
    for module in sorted(modules):
        importlib.import_module(module)
    if modules:
        from pipeline.parse import preload
        from pipeline.taxonomy.gazetteer import load_taxonomy

        preload()  # the matcher and the parse models, also read by scoring and rewriting
        # The taxonomy and its alias index, which evidence searches and list parsing look
        # skills up in: each new pool child built them on its first such task (~50 ms).
        load_taxonomy().canonical("")
        _warm_clients()
    if settings.queue_name("compile") in consumed:
        from workers.tasks.compile import warm

        warm()
    # What is loaded now (spaCy's model, the taxonomy, templates) lives as long as the
    # worker: keep it out of the garbage collector's full passes, in the pool children too
    # (they inherit the frozen set), which would otherwise walk it all again and again.
    gc.freeze()


def _warm_clients() -> None:
    """Load the Postgres driver and botocore's S3 service model once, here: each pool child
    (and each that replaces a recycled one) otherwise loaded them on its first task, about half
    a second of CPU. Nothing is connected; every child still builds its own engine and client
    after the fork (`_after_fork`), from what is already loaded."""
    from workers import storage
    from workers.db.session import get_engine

    get_engine()
    storage.client()


@worker_process_init.connect
def _after_fork(**_: Any) -> None:
    # Connections and clients inherited from the parent must not be shared across processes.
    from workers import cache, storage
    from workers.db.session import reset_engine

    reset_engine()
    cache.reset_client()
    storage.reset_client()


# Connects the metrics' signal handlers: the exporter at worker start, task timings and
# retries in the pool children (workers.metrics_server).
from workers import metrics_server  # noqa: E402,F401
