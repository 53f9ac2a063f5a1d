"""The OpenAPI document (`/openapi.json`), `/docs` (Swagger UI) and `/redoc` (ReDoc), the pages
served with their scripts and styles from this package (api/static/, refreshed by
scripts/vendor_docs_assets.sh), so both work with no network: FastAPI's defaults would fetch
them, a favicon and fonts from CDNs.

With `api_docs_require_key` the document and both pages need a credential (any valid
`X-API-Key` or bearer token, counted against its rate limit like any request). A browser
cannot add that header to a page it navigates to: behind the setting, reach the pages through
a proxy that adds `X-API-Key`, or fetch the document with the key and open it locally. The
assets stay public either way: they are the stock Swagger UI and ReDoc bundles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.deps import any_caller

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "/docs-assets"  # where api/static is mounted
OPENAPI_URL = "/openapi.json"


def install(app: FastAPI, *, require_key: bool) -> None:
    """Mount the assets and add the document and the two pages (the app is built with
    openapi_url, docs_url and redoc_url None, so FastAPI adds none of them)."""
    app.mount(ASSETS, StaticFiles(directory=STATIC), name="docs-assets")
    title = f"{app.title} API"
    guard: list[Any] = [Depends(any_caller)] if require_key else []

    @app.get(OPENAPI_URL, include_in_schema=False, dependencies=guard)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=guard)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL, title=title,
            swagger_js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/swagger-ui/favicon-32x32.png",
            # No OAuth2 flows to redirect back from: the API takes keys and bearer tokens.
            oauth2_redirect_url=None,
            # No validator badge: it would send the document to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False, dependencies=guard)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=OPENAPI_URL, title=title,
            redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
