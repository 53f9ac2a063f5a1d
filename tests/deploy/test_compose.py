"""docker-compose.yml, run: every service built from this repository started with its own
`command` and `environment` as a local process (no Docker engine here), against this session's
Postgres database, Redis prefix and SeaweedFS; each must pass its own health check, and a job
submitted through the API must succeed. A typo in a command, a setting or a health check
fails here."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.deploy.composefile import (
    ENV_EXAMPLE,
    ROOT,
    environment,
    healthcheck_argv,
    load_compose,
    our_services,
    read_dotenv,
)
from tests.service_fixtures import create_api_key, free_ports, wait_for

pytestmark = pytest.mark.service

# The compose values that name the compose network's servers (`postgres`, `redis`, `s3`) or
# their credentials: replaced by this test session's, on loopback.
SESSION_SETTINGS = ("RT_DATABASE_URL", "RT_BROKER_URL", "RT_RESULT_BACKEND", "RT_REDIS_URL",
                    "RT_S3_ENDPOINT_URL", "RT_S3_BUCKET", "RT_S3_ACCESS_KEY", "RT_S3_SECRET_KEY",
                    "RT_WEBHOOK_SECRET_DEFAULT")
ONE_SHOT = ("migrate", "bucket")


def _process_env(service: dict[str, Any], session: dict[str, str],
                 extra: dict[str, str]) -> dict[str, str]:
    env = environment(service)
    missing = [name for name in SESSION_SETTINGS if name not in env]
    assert not missing, f"compose environment lacks {missing}"
    return {
        # What a container has besides its environment: the image's PATH, HOME and hostname.
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "HOSTNAME": socket.gethostname(),
        **env,
        **{name: session[name] for name in SESSION_SETTINGS},
        **extra,
    }


def _healthy(argv: list[str], env: dict[str, str], cwd: Path) -> bool:
    try:
        return subprocess.run(argv, env=env, cwd=cwd, capture_output=True,
                              timeout=30, check=False).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def _stop_all(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process group at once, wait for them together, then SIGKILL."""
    for proc in processes.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(p.poll() is None for p in processes.values()):
        time.sleep(0.1)
    for proc in processes.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_compose_services_run_a_job(service_env: dict[str, str], tmp_path: Path) -> None:
    # A Redis namespace of its own inside the session's (deleted with it): the session's
    # workers must not take its tasks, nor its per-address rate limit count their requests.
    values = {**read_dotenv(ENV_EXAMPLE),
              "RT_KEY_PREFIX": service_env["RT_KEY_PREFIX"] + "compose:",
              "COMPILE_CONCURRENCY": "1"}
    services = our_services(load_compose(values))
    api_port, flower_port = free_ports(2)
    # Listening addresses: loopback and free ports instead of the containers' 0.0.0.0 and
    # fixed ports (the images read them from the environment, so health checks follow).
    extra = {
        "api": {"UVICORN_HOST": "127.0.0.1", "UVICORN_PORT": str(api_port)},
        "flower": {"FLOWER_ADDRESS": "127.0.0.1", "FLOWER_PORT": str(flower_port)},
    }
    # Each worker's exporter: a free port and a directory of its own (each container has its
    # own /tmp; here they share one).
    workers = [name for name, svc in services.items() if "RT_METRICS_PORT" in environment(svc)]
    assert workers, "no worker exports metrics"
    for name, port in zip(workers, free_ports(len(workers)), strict=True):
        extra[name] = {"RT_METRICS_HOST": "127.0.0.1", "RT_METRICS_PORT": str(port),
                       "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus" / name)}
    envs = {name: _process_env(svc, service_env, extra.get(name, {}))
            for name, svc in services.items()}
    workdirs = {}
    for name in services:
        workdirs[name] = tmp_path / name  # the service's working_dir (a tmpfs in compose)
        workdirs[name].mkdir()

    for name in ONE_SHOT:  # what `service_completed_successfully` waits for
        done = subprocess.run(services[name]["command"], env=envs[name], cwd=workdirs[name],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"

    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, service in services.items():
            if name in ONE_SHOT:
                continue
            with (tmp_path / f"{name}.log").open("wb") as log:
                processes[name] = subprocess.Popen(
                    service["command"], env=envs[name], cwd=workdirs[name], stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)

        for name in processes:
            def check(name: str = name) -> bool:
                if processes[name].poll() is not None:
                    log = (tmp_path / f"{name}.log").read_text(errors="replace")
                    raise AssertionError(f"{name} exited:\n{log[-3000:]}")
                return _healthy(healthcheck_argv(services[name]), envs[name], workdirs[name])

            wait_for(check, timeout=240, interval=1.0, what=f"{name}'s health check")

        _submit_and_see_it_succeed(f"http://127.0.0.1:{api_port}")
        for name in workers:
            scraped = httpx.get(f"http://127.0.0.1:{extra[name]['RT_METRICS_PORT']}/metrics")
            assert scraped.status_code == 200, name
        upload = httpx.get(f"http://127.0.0.1:{extra['worker-upload']['RT_METRICS_PORT']}/metrics")
        assert 'resume_tailor_jobs_finished_total{outcome="succeeded"' in upload.text
    finally:
        _stop_all(processes)


def _submit_and_see_it_succeed(url: str) -> None:
    body = {
        "resume": json.loads((ROOT / "examples/resumes/senior-backend.json").read_text()),
        "posting": (ROOT / "examples/postings/backend-engineer.md").read_text(),
        "template": "modern",
    }
    # A key as `resume-tailor-admin keys create` makes it, in the database compose migrated.
    key = create_api_key("compose-test")
    with httpx.Client(base_url=url, timeout=30, headers=key.headers) as http:
        assert http.get("/readyz").status_code == 200
        submitted = http.post("/v1/jobs", json=body)
        assert submitted.status_code == 202, submitted.text
        location = submitted.headers["location"]

        def finished() -> dict[str, Any] | None:
            response = http.get(location)
            if response.status_code == 429:  # the compose API's default limit: wait it out
                return None
            job: dict[str, Any] = response.json()
            return job if job["state"] in ("succeeded", "failed", "cancelled") else None

        job = wait_for(finished, timeout=240, interval=0.5, what="the job to finish")
        assert job["state"] == "succeeded", job
        pdf = http.get(f"{location}/artifacts/resume.pdf", follow_redirects=True)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code
