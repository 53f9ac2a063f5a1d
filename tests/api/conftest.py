"""API fixtures: a real uvicorn process on loopback (over the session's Postgres, Redis,
SeaweedFS and Celery workers from tests/service_fixtures.py) and a webhook receiver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_server import serve_api
from tests.service_fixtures import Credential
from tests.webhook_receiver import Receiver, running_receiver

TERMINAL = {"succeeded", "failed", "cancelled"}


@contextmanager
def running_api(env: dict[str, str], log: Path) -> Iterator[str]:
    """A uvicorn process of the API with `env` over ours, on a free loopback port; its URL."""
    with serve_api(env, log=log) as (url, _):
        yield url


@pytest.fixture(scope="session")
def api_url(
    service_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The API alone; tests that need jobs to finish also ask for `celery_workers`."""
    with running_api(service_env, tmp_path_factory.mktemp("uvicorn") / "uvicorn.log") as url:
        yield url


@pytest.fixture(scope="session")
def api_headers(api_key: Credential) -> dict[str, str]:
    """The headers that authenticate a client to the API as the `default` tenant: the one
    place tests get them from (the `http` client and the schemathesis fuzz test)."""
    return api_key.headers


@pytest.fixture
def http(api_url: str, api_headers: dict[str, str]) -> Iterator[httpx.Client]:
    """A client of the API as the `default` tenant (its key on every request)."""
    with httpx.Client(base_url=api_url, timeout=30, headers=api_headers) as client:
        yield client


@pytest.fixture
def receiver(webhook_port: int) -> Iterator[Receiver]:
    with running_receiver(port=webhook_port) as state:
        yield state


def poll(
    http: httpx.Client, location: str, *, until: set[str] = TERMINAL, timeout_s: float = 180
) -> dict[str, Any]:
    """GET `location` until its state is in `until`; returns the last body."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = http.get(location)
        if response.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.5)  # a dependency restarting: retry, as the Retry-After says
            continue
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["state"] in until:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"{location} still {body['state']} after {timeout_s}s: {body}")
        time.sleep(0.1)  # the job advances in another process; a poll is what a client does
