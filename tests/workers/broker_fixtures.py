"""A Redis of a test's own, to kill and start again empty, with the Celery workers and beat
pointed at it (the session's Redis is shared by everyone's tests and must stay up)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import kombu.pools
import redis

from tests.service_fixtures import ROOT, free_ports, stop_process, wait_for


@dataclass
class RedisServer:
    """`redis-server` without persistence on a free loopback port: SIGKILL it and it comes
    back empty, as a broker without AOF does after a crash."""

    workdir: Path
    port: int = field(default_factory=lambda: free_ports(1)[0])
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", str(self.workdir)]
        with (self.workdir / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        client = redis.Redis.from_url(self.url, socket_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_for(answers, timeout=15, interval=0.05, what=f"redis-server on {self.port}")
        # Empty as it starts: nothing loaded from disk. (Not `dbsize() == 0`: the workers,
        # reconnecting, declare their queues the moment it answers.)
        persistence = client.info("persistence")
        assert persistence["aof_enabled"] == 0, persistence
        assert persistence["rdb_last_load_keys_loaded"] == 0, persistence

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown, nothing saved
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


@contextmanager
def process_env(env: dict[str, str]) -> Iterator[None]:
    """This test process's settings and Celery app on `env` for the block (its sends go to
    that broker), restored afterwards."""
    saved = {name: os.environ.get(name) for name in env}
    try:
        _apply(env)
        yield
    finally:
        _apply({name: value for name, value in saved.items() if value is not None},
               unset=tuple(name for name, value in saved.items() if value is None))


def _apply(env: dict[str, str], unset: tuple[str, ...] = ()) -> None:
    from workers import cache
    from workers.app import app, build_config
    from workers.settings import get_settings

    os.environ.update(env)
    for name in unset:
        os.environ.pop(name, None)
    get_settings.cache_clear()
    cache.reset_client()
    app.conf.update(build_config(get_settings()))
    # The app's broker connections are pooled in kombu's registry, keyed by URL: empty it, so
    # sends use the new URL and a later switch back does not find the pool closed here.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def start_beat(env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    """`celery beat` on `env` (its reaper and webhook sweep), logging to workdir/beat.log."""
    args = [sys.executable, "-m", "celery", "-A", "workers", "beat", "--loglevel", "INFO",
            "--schedule", str(workdir / "celerybeat-schedule")]
    with (workdir / "beat.log").open("ab") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                                start_new_session=True)
    time.sleep(0.5)
    if proc.poll() is not None:
        raise RuntimeError(f"beat exited ({proc.returncode}):\n"
                           f"{(workdir / 'beat.log').read_text()[-3000:]}")
    return proc
