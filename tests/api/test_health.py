"""/healthz and /readyz without the services: readiness names exactly what is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.tokens import JWT_SETTINGS, bearer
from tests.service_fixtures import free_ports
from workers import storage
from workers.db.session import reset_engine
from workers.settings import get_settings


def _reset_clients() -> None:
    get_settings.cache_clear()
    storage.reset_client()
    reset_engine()


@pytest.fixture
def dead_dependencies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Broker, S3 and Postgres pointed at loopback ports nobody listens on."""
    broker, s3, postgres = free_ports(3)
    monkeypatch.setenv("RT_BROKER_URL", f"redis://127.0.0.1:{broker}/0")
    monkeypatch.setenv("RT_S3_ENDPOINT_URL", f"http://127.0.0.1:{s3}")
    monkeypatch.setenv("RT_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{postgres}/x")
    for name, value in JWT_SETTINGS.items():
        monkeypatch.setenv(f"RT_{name.upper()}", value)
    _reset_clients()
    yield
    monkeypatch.undo()
    _reset_clients()  # back to whatever this session had configured


def test_readyz_names_every_dependency_that_is_down(dead_dependencies: None) -> None:
    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200  # alive, just not ready
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {e["field"] for e in problem["errors"]} == {"postgres", "broker", "s3"}
    assert "postgres" in problem["detail"] and "s3" in problem["detail"]
    # Anonymous callers learn what is down, not why (hosts, ports, driver messages).
    assert {e["message"] for e in problem["errors"]} == {"not ready"}
    assert "127.0.0.1" not in response.text


def test_readyz_says_why_to_an_admin(dead_dependencies: None) -> None:
    with TestClient(create_app()) as client:
        anonymous_scope = client.get("/readyz", headers=bearer(scope="jobs:read")).json()
        admin = client.get("/readyz", headers=bearer(scope="admin")).json()
    assert {e["message"] for e in anonymous_scope["errors"]} == {"not ready"}
    reasons = {e["field"]: e["message"] for e in admin["errors"]}
    assert all(message != "not ready" for message in reasons.values())
    assert "Error" in reasons["postgres"] or "no answer" in reasons["postgres"]
