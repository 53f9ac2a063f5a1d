"""`/docs` and `/openapi.json` behind a key (`api_docs_require_key`): any valid credential.
Swagger UI fetches the spec itself, so a browser needs the key sent for it (a proxy that adds
`X-API-Key`, or the spec fetched with the key and opened locally)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.deps import Caller

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def openapi(request: Request, caller: Caller) -> dict[str, Any]:
    return request.app.openapi()


@router.get("/docs")
async def swagger_ui(request: Request, caller: Caller) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{request.app.title} docs")
