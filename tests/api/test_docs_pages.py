"""/docs (Swagger UI) and /redoc work offline: every script, style sheet, image and the
document they load are served by the API itself. In-process: no services needed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

_ASSET = re.compile(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_page_references_only_local_assets_that_answer(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    urls = set(_ASSET.findall(response.text))
    urls |= set(re.findall(r"""spec-url=["']([^"']+)""", response.text))
    assert "/openapi.json" in urls
    assert any(url.endswith(".js") for url in urls), urls
    remote = [url for url in urls if "//" in url]
    assert remote == [], f"{page} would fetch from another host"
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.content, url
    assert "fonts.googleapis.com" not in response.text


def test_the_swagger_ui_bundle_is_the_real_one(client: TestClient) -> None:
    """Swagger UI 5 (OpenAPI 3.1 support) and ReDoc, not a placeholder."""
    bundle = client.get("/docs-assets/swagger-ui/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert len(bundle.content) > 500_000 and b"SwaggerUIBundle" in bundle.content
    redoc = client.get("/docs-assets/redoc/redoc.standalone.js")
    assert len(redoc.content) > 500_000 and b"Redoc" in redoc.content
    licences = [client.get(f"/docs-assets/{name}/LICENSE").status_code
                for name in ("swagger-ui", "redoc")]
    assert licences == [200, 200]


def test_the_docs_pages_are_not_in_the_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(p.startswith(("/docs", "/redoc")) for p in paths)
