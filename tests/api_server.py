"""The API as a real uvicorn process on a free loopback port: how the API tests and the
benchmarks start it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.service_fixtures import ROOT, free_ports, stop_process


@contextmanager
def serve_api(env: dict[str, str], *, workers: int = 1,
              log: Path | None = None) -> Iterator[tuple[str, int]]:
    """uvicorn with `env` over the process environment, on a free loopback port, `workers`
    processes, its output to `log` (default: inherited); yields its URL and the
    supervisor's pid once /healthz answers, and stops it afterwards. The API tests and the
    benchmarks start it this one way."""
    [port] = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
               "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log",
               "--log-level", "warning"]
    with open(log, "wb") if log else contextlib.nullcontext() as out:
        process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_healthy(process, url, log)
        yield url, process.pid
    finally:
        stop_process(process, timeout=15)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path | None) -> None:
    def tail() -> str:
        return log.read_text(errors="replace")[-3000:] if log else "(output not captured)"

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited ({process.returncode}):\n{tail()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # waiting on another process to bind: nothing to be woken by
    raise RuntimeError(f"uvicorn did not answer within 30 s:\n{tail()}")
