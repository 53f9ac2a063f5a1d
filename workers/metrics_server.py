"""A worker's metrics: counted where its tasks run (the pool children; a solo worker's own
process) by Celery's task signals, served by the worker's main process on `RT_METRICS_PORT`
(`GET /metrics`), one exporter per worker (per pod).

Prefork: the tasks run in child processes the main process forks (and replaces every
`worker_max_tasks_per_child` tasks), so the values cannot live in any one process's memory.
With PROMETHEUS_MULTIPROC_DIR set, each child writes its own files there and the exporter adds
them up at every scrape (prometheus_client's multiprocess mode). The directory is the
worker's alone: it is emptied when the worker starts, and two workers sharing it would count
each other's tasks. A child that exits says so (`worker_process_shutdown`); one killed without
saying (SIGKILL, a hard time limit) is noticed at the next scrape, so the `tasks_running` gauge
never keeps a dead process's tasks.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from threading import Thread
from typing import Any
from wsgiref.simple_server import WSGIServer

from celery.signals import (
    task_postrun,
    task_prerun,
    task_retry,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
)
from prometheus_client import CollectorRegistry, multiprocess, start_http_server, values
from prometheus_client.metrics_core import Metric

from workers import metrics
from workers.settings import STAGES, get_settings

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_STAGE_TASKS = {f"workers.tasks.{stage}.run": stage for stage in STAGES}
# The files of gauges whose value is dropped when their process dies ("live" modes).
_LIVE_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db$")

# The running exporter: (server, thread), so a pool child can close its inherited socket, and
# the process serving it (a solo pool sends `worker_process_init` in that process itself).
_exporter: tuple[WSGIServer, Thread] | None = None
_exporter_pid: int | None = None
# task id → when it started, in the child running it.
_started: dict[str, float] = {}


class MetricsSetupError(RuntimeError):
    pass


def multiprocess_dir() -> Path:
    """The directory the pool children write to; refuses a setup where they could not."""
    raw = os.environ.get(MULTIPROC_ENV, "").strip()
    if not raw:
        raise MetricsSetupError(
            f"RT_METRICS_PORT: set {MULTIPROC_ENV} to a directory of this worker's own; the "
            "pool's child processes count there")
    if not getattr(values.ValueClass, "_multiprocess", False):
        raise MetricsSetupError(
            f"{MULTIPROC_ENV}: set after prometheus_client was imported; set it in the "
            "worker's environment before it starts")
    path = Path(raw)
    path.mkdir(parents=True, exist_ok=True)
    if not os.access(path, os.W_OK | os.X_OK):
        raise MetricsSetupError(f"{MULTIPROC_ENV}: {path} is not writable")
    return path


def clean(path: Path) -> int:
    """Remove what earlier runs left (a container restarted in the same pod keeps its
    emptyDir): their processes are gone and their counts belong to them."""
    removed = 0
    for file in path.glob("*.db"):
        file.unlink(missing_ok=True)
        removed += 1
    return removed


def forget_dead_processes(path: Path) -> list[int]:
    """Mark every process whose live-gauge files remain but which no longer runs as dead."""
    dead = []
    for file in glob.glob(str(path / "gauge_live*.db")):
        match = _LIVE_FILE.search(file)
        if match is None:
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        multiprocess.mark_process_dead(pid, str(path))
        dead.append(pid)
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process reuses the pid: not ours, but alive
        return True
    return True


class PoolCollector(multiprocess.MultiProcessCollector):
    """Every process's values in the directory, after forgetting the dead ones' live gauges."""

    def __init__(self, registry: CollectorRegistry, path: Path) -> None:
        self._dir = path
        super().__init__(registry, str(path))

    def collect(self) -> Iterator[Metric]:
        forget_dead_processes(self._dir)
        yield from super().collect()


def pool_registry(path: Path) -> CollectorRegistry:
    registry = CollectorRegistry()
    PoolCollector(registry, path)
    return registry


def start_exporter(port: int, host: str) -> tuple[WSGIServer, Thread]:
    """Empty the directory and serve it on host:port, from a daemon thread of this process."""
    global _exporter, _exporter_pid
    path = multiprocess_dir()
    clean(path)
    server, thread = start_http_server(port, host, registry=pool_registry(path))
    _exporter, _exporter_pid = (server, thread), os.getpid()
    log.info("metrics on http://%s:%d/metrics (processes count in %s)", host, port, path)
    return _exporter


@worker_init.connect
def _start_on_worker_init(**_: Any) -> None:
    """In the worker's main process, before the pool forks. Celery logs and ignores errors
    from signal handlers; a worker asked for metrics it cannot serve must not start silently
    without them, so the failure stops it (SystemExit is not caught)."""
    settings = get_settings()
    if settings.metrics_port is None:
        return
    try:
        start_exporter(settings.metrics_port, settings.metrics_host)
    except (MetricsSetupError, OSError) as exc:
        log.critical("metrics exporter not started: %s", exc)
        raise SystemExit(f"metrics exporter not started: {exc}") from exc


@worker_process_init.connect
def _close_inherited_socket(**_: Any) -> None:
    # The child got a copy of the exporter's listening socket with the fork. It never serves
    # on it; closing it means the port is free once the main process is gone, even if a
    # child lingers.
    if _exporter is not None and os.getpid() != _exporter_pid:
        _exporter[0].socket.close()


@worker_process_shutdown.connect
def _mark_dead(pid: int | None = None, **_: Any) -> None:
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid or os.getpid())


def task_label(name: str | None) -> str:
    """A task's label: its stage for a stage task, else its name without the package."""
    name = name or "unknown"
    if name in _STAGE_TASKS:
        return _STAGE_TASKS[name]
    return name.removeprefix("workers.")


@task_prerun.connect
def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    _started[task_id] = time.perf_counter()
    metrics.TASKS_RUNNING.labels(task_label(getattr(task, "name", None))).inc()


@task_postrun.connect
def _task_ended(task_id: str | None = None, task: Any = None, state: str | None = None,
                **_: Any) -> None:
    started = _started.pop(task_id, None) if task_id is not None else None
    if started is None:
        return
    name = getattr(task, "name", None)
    metrics.TASKS_RUNNING.labels(task_label(name)).dec()
    if name in _STAGE_TASKS:
        metrics.STAGE_DURATION.labels(_STAGE_TASKS[name], (state or "unknown").lower()).observe(
            time.perf_counter() - started)


@task_retry.connect
def _task_retried(sender: Any = None, reason: Any = None, **_: Any) -> None:
    # `reason` is Celery's Retry; what caused it is its `exc` (None for a bare retry).
    cause = getattr(reason, "exc", None) or reason
    metrics.TASK_RETRIES.labels(task_label(getattr(sender, "name", None)),
                                type(cause).__name__ if cause is not None else "Retry").inc()
