"""`/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`.

`/readyz` names what is down to anyone (probes are anonymous) but says why only to a caller
with the `admin` scope; the reasons, which may hold hosts and driver messages, are logged.
`/metrics` needs an `admin` key when `api_metrics_require_key` is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api import readiness
from api.auth import ADMIN, authenticate, forbidden, principal_for
from api.deps import SettingsDep
from api.errors import ApiProblem, FieldError, problem_doc, problem_response

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: problem_doc("A dependency is down.")})
async def readyz(request: Request, settings: SettingsDep) -> Response:
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
        for name, why in failed.items():
            log.warning("not ready: %s: %s", name, why)
        detailed = await _is_admin(request, settings)
        return problem_response(
            503, "Service unavailable", f"not ready: {', '.join(failed)}", slug="not-ready",
            errors=[FieldError(field=name, message=msg if detailed else "not ready")
                    for name, msg in failed.items()],
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


async def _is_admin(request: Request, settings: SettingsDep) -> bool:
    try:
        principal = await authenticate(request, settings)
    except ApiProblem:
        return False
    except Exception:  # noqa: BLE001 - Postgres may be what is down; then it is anonymous
        return False
    return principal is not None and principal.allows(ADMIN)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    if settings.api_metrics_require_key:
        principal = await principal_for(request, settings)
        if not principal.allows(ADMIN):
            raise forbidden(ADMIN)
    return Response(generate_latest(request.app.state.metrics_registry),
                    media_type=CONTENT_TYPE_LATEST)
