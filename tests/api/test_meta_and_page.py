"""`/v1/meta` and the page served at `/`, in-process (no services needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from api import web
from api.app import create_app
from pipeline.compile.render import list_templates
from tests.api.tokens import JWT_SETTINGS, bearer
from workers.settings import get_settings


@pytest.fixture
def provider_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No AI provider configured unless a test sets one (the API reads them once, cached)."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    # Callers authenticate with a JWT: no Postgres behind these tests.
    for name, value in JWT_SETTINGS.items():
        monkeypatch.setenv(f"RT_{name.upper()}", value)
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _meta(app: FastAPI) -> dict:
    with TestClient(app, headers=bearer()) as client:
        response = client.get("/v1/meta")
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


def test_meta_lists_the_templates_and_only_local_without_keys(
    provider_env: pytest.MonkeyPatch,
) -> None:
    meta = _meta(create_app())
    assert [(t["name"], t["description"]) for t in meta["templates"]] == list_templates()
    assert meta["providers"] == [{"name": "local", "default": True}]
    assert meta["max_batch_items"] == 500
    assert meta["artifacts"][:4] == ["resume.pdf", "resume.tex", "report.json", "tailored.json"]
    assert {"letter.pdf", "letter.tex", "letter.md"} <= set(meta["artifacts"])


def test_meta_lists_a_provider_once_configured(provider_env: pytest.MonkeyPatch) -> None:
    provider_env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # a local server will do
    meta = _meta(create_app())
    assert [p["name"] for p in meta["providers"]] == ["local", "openai"]


@pytest.fixture
def built_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "index.html").write_text("<!doctype html><title>resume-tailor</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log('page')")
    monkeypatch.setenv("RT_API_WEB_DIR", str(tmp_path))
    return tmp_path


def test_the_page_is_served_at_the_root_and_the_api_keeps_its_paths(built_page: Path) -> None:
    with TestClient(create_app()) as client:
        page = client.get("/")
        assert page.status_code == 200 and "<title>resume-tailor</title>" in page.text
        assert client.get("/assets/app.js").text == "console.log('page')"
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/docs").status_code == 200
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/meta", "/v1/jobs/{job_id}/report", "/v1/batches/{batch_id}/webhooks"} <= set(
            paths)
        assert not any(path == "/" or path.startswith("/assets") for path in paths)
        # An unknown API path is still the API's problem+json 404, not the page.
        missing = client.get("/v1/nothing-here")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert client.get("/no-such-file.js").status_code == 404


def test_no_build_no_page(tmp_path: Path) -> None:
    app = FastAPI()
    assert web.mount_page(app, tmp_path) is False
    assert not any(isinstance(route, Mount) for route in app.routes)
    (tmp_path / "index.html").write_text("<!doctype html>")
    assert web.mount_page(app, tmp_path) is True
    assert [r.name for r in app.routes if isinstance(r, Mount)] == ["web"]
