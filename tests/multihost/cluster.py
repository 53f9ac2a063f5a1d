"""The service spread over test hosts: the roles each host runs, the `RT_*` environment
pointing every process at the shared servers by their bridge address, and the processes.

A `Role` is a set of Celery workers (one `celery -A workers worker` per entry) that a host
runs; `start_role` starts them inside the host's namespace and waits until each is ready.
The control plane (API, beat, the webhooks pool that runs the reaper) stays in the root
namespace: the test kills worker hosts, not the API.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from tests.multihost.netns import Host
from tests.multihost.servers import free_port
from tests.service_fixtures import child_pids, pool_args, runs_solo, stop_process, wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# Short limits so a stage lost with its host is recovered within a minute or two, yet long
# enough that no stage of a loaded 2-core machine hits them (the reaper would then requeue
# healthy work). Every `RT_` name here is an existing setting (workers/settings.py).
SOFT_TIME_LIMITS_S = {"parse": 30, "score": 30, "rewrite": 30, "compile": 45, "upload": 30,
                      "rank": 30, "webhooks": 15, "reaper": 15}
TIME_LIMIT_GRACE_S = 5
RETRY_BACKOFF_MAX_S = 1
REAPER_GRACE_S = 0
# Redis redelivers a message nobody acknowledged after this; the settings refuse a value not
# above the longest hard time limit (compile: 45 + 5).
VISIBILITY_TIMEOUT_S = 60


def recovery_env() -> dict[str, str]:
    """The timeouts that decide how fast a dead worker's task comes back."""
    return {
        "RT_SOFT_TIME_LIMITS_S": json.dumps(SOFT_TIME_LIMITS_S),
        "RT_TIME_LIMIT_GRACE_S": str(TIME_LIMIT_GRACE_S),
        "RT_RETRY_BACKOFF_BASE_S": "0.2",
        "RT_RETRY_BACKOFF_MAX_S": str(RETRY_BACKOFF_MAX_S),
        "RT_TASK_MAX_RETRIES": "10",
        "RT_VISIBILITY_TIMEOUT_S": str(VISIBILITY_TIMEOUT_S),
        "RT_REAPER_INTERVAL_S": "5",
        "RT_REAPER_GRACE_S": str(REAPER_GRACE_S),
        # A job waits `queued` behind the batch's backlog legitimately; the stage cutoffs
        # above recover the jobs a host lost, this one only a lost first message.
        "RT_REAPER_QUEUED_AFTER_S": "300",
    }


def reaper_cutoff_s(stage: str) -> float:
    """How long after a stage started the reaper calls its job stuck (workers/reaper.py)."""
    return SOFT_TIME_LIMITS_S[stage] + TIME_LIMIT_GRACE_S + RETRY_BACKOFF_MAX_S + REAPER_GRACE_S


def service_env(*, database_url: str, redis_url: str, s3_endpoint: str, s3_access_key: str,
                s3_secret_key: str, bucket: str) -> dict[str, str]:
    return {
        "RT_ENVIRONMENT": "test",
        "RT_DATABASE_URL": database_url,
        "RT_BROKER_URL": redis_url,
        "RT_RESULT_BACKEND": redis_url,
        "RT_REDIS_URL": redis_url,
        "RT_KEY_PREFIX": "",  # the Redis is the test's own
        "RT_S3_ENDPOINT_URL": s3_endpoint,
        "RT_S3_ACCESS_KEY": s3_access_key,
        "RT_S3_SECRET_KEY": s3_secret_key,
        "RT_S3_BUCKET": bucket,
        "RT_WEBHOOK_SECRET_DEFAULT": "whsec_" + secrets.token_urlsafe(32),
        # The test polls its batch far more often than a person would.
        "RT_API_RATE_LIMIT_PER_IP": "1000000",
        "RT_API_RATE_LIMIT_PER_KEY": "1000000",
        **recovery_env(),
    }


def process_env(rt_env: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without its own `RT_*` (another test's session may have
    set some) plus `rt_env`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("RT_")}
    return {**base, **rt_env, "PYTHONPATH": str(ROOT)}


@dataclass(frozen=True)
class WorkerSpec:
    name: str
    queues: tuple[str, ...]
    concurrency: int = 1

    @property
    def solo(self) -> bool:
        return runs_solo(self.queues, self.concurrency)

    @property
    def processes(self) -> int:
        """The worker's processes: itself, and its pool's children unless it runs solo."""
        return 1 if self.solo else self.concurrency + 1

    def args(self, host: str) -> list[str]:
        return [str(BIN / "celery"), "-A", "workers", "worker", "-Q", ",".join(self.queues),
                *pool_args(self.queues, self.concurrency), "-O", "fair",
                "-n", f"{self.name}@{host}", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle"]


@dataclass
class RunningProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    solo: bool = False  # runs its tasks in its own process: no pool children

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pool_children(self) -> list[int]:
        return child_pids(self.process.pid)

    def wait_ready(self, timeout: float = 180) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n"
                                   f"{self.log()[-3000:]}")
            return " ready." in self.log() and (self.solo or bool(self.pool_children()))

        wait_for(ready, timeout=timeout, interval=0.2, what=f"worker {self.name}")


@dataclass
class Processes:
    """Every process the test started, stopped at the end whatever happened."""

    logdir: Path
    env: dict[str, str]
    running: list[RunningProcess] = field(default_factory=list)
    generation: int = 0  # restarts write new logs beside the old ones

    def _open_log(self, name: str) -> tuple[Path, IO[bytes]]:
        self.generation += 1
        path = self.logdir / f"{self.generation:02d}-{name}.log"
        return path, path.open("wb")

    def start_worker(self, spec: WorkerSpec, host: Host | None) -> RunningProcess:
        """A worker inside `host`'s namespace (None: the root namespace)."""
        path, log = self._open_log(f"{spec.name}@{host.name if host else 'control'}")
        with log:
            if host is None:
                process = subprocess.Popen(spec.args("control"), env=self.env, cwd=ROOT,
                                           stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True)
            else:
                process = host.popen(spec.args(host.name), env=self.env, cwd=ROOT, log=log)
        running = RunningProcess(spec.name, process, path, solo=spec.solo)
        self.running.append(running)
        return running

    def start_role(self, host: Host | None, specs: tuple[WorkerSpec, ...]) -> None:
        started = [self.start_worker(spec, host) for spec in specs]
        for worker in started:  # started together, so their start-ups overlap
            worker.wait_ready()

    def start_beat(self, schedule: Path) -> RunningProcess:
        path, log = self._open_log("beat")
        with log:
            process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "workers", "beat", "--loglevel", "INFO",
                 "--schedule", str(schedule)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        running = RunningProcess("beat", process, path)
        self.running.append(running)
        return running

    def start_api(self) -> str:
        """uvicorn on a loopback port of the root namespace; returns its URL once it is ready
        (its /readyz reaches Postgres, Redis and S3 over the bridge)."""
        port = free_port("127.0.0.1")
        url = f"http://127.0.0.1:{port}"
        path, log = self._open_log("api")
        with log:
            process = subprocess.Popen(
                [str(BIN / "uvicorn"), "api.app:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(port), "--no-access-log"],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        running = RunningProcess("api", process, path)
        self.running.append(running)

        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited ({process.returncode}):\n"
                                   f"{running.log()[-3000:]}")
            try:
                return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(ready, timeout=60, interval=0.2, what="the API to be ready")
        return url

    def reap_exited(self) -> None:
        """Collect processes killed from outside (no zombies left behind)."""
        for running in self.running:
            if running.process.poll() is None:
                continue
            running.process.wait()

    def stop_all(self) -> None:
        for running in reversed(self.running):
            stop_process(running.process)
        self.running.clear()

    def logs_tail(self, lines: int = 30) -> str:
        parts = []
        for path in sorted(self.logdir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"----- {path.name}\n" + "\n".join(tail))
        return "\n".join(parts)
