"""`/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api import readiness
from api.deps import SettingsDep
from api.errors import FieldError, problem_doc, problem_response

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: problem_doc("A dependency is down.")})
async def readyz(settings: SettingsDep) -> Response:
    checks: dict[str, Callable[[], None]] = {
        "postgres": readiness.check_postgres,
        "broker": lambda: readiness.check_broker(settings, settings.api_readiness_timeout_s),
        "s3": lambda: readiness.check_s3(settings),
    }
    results = await asyncio.gather(
        *(_run(check, settings.api_readiness_timeout_s) for check in checks.values())
    )
    failed = {name: error for name, error in zip(checks, results, strict=True) if error}
    if failed:
        return problem_response(
            503, "Service unavailable", f"not ready: {', '.join(failed)}", slug="not-ready",
            errors=[FieldError(field=name, message=msg) for name, msg in failed.items()],
            instance="/readyz",
        )
    return Response('{"status":"ready"}', media_type="application/json")


async def _run(check: Callable[[], None], timeout_s: float) -> str | None:
    """None when the check passed, else why it failed."""
    try:
        await asyncio.wait_for(asyncio.to_thread(check), timeout_s)
    except TimeoutError:
        return f"no answer within {timeout_s}s"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; say which
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics_registry),
                    media_type=CONTENT_TYPE_LATEST)
