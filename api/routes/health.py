"""`/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`.

`/readyz` names what is down to anyone (probes are anonymous) but says why only to a caller
with the `admin` scope; the reasons, which may hold hosts and driver messages, are logged.
`/metrics` needs an `admin` key when `api_metrics_require_key` is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field

from api import readiness
from api.auth import ADMIN, authenticate, forbidden, principal_for
from api.deps import SettingsDep
from api.errors import ApiProblem, FieldError, problem_response, responses
from api.openapi import OPTIONAL_ADMIN

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process answers."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"] = Field(description="Always `ok`.")


class Ready(BaseModel):
    """Every dependency answers."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ready"}]})

    status: Literal["ready"] = Field(description="Always `ready`.")


@router.get("/healthz", response_model=Health, summary="Liveness probe",
            responses=responses())
def healthz() -> dict[str, str]:
    """200 while the process can answer at all; it checks no dependency. For a liveness
    probe: restart the instance when this fails."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready, summary="Readiness probe",
            responses=responses("not-ready"), openapi_extra={"security": OPTIONAL_ADMIN})
async def readyz(request: Request, settings: SettingsDep) -> Response:
    """200 when Postgres, the broker and the object store all answer within the readiness
    timeout; else 503 (`not-ready`) naming each that does not. For a readiness probe: route
    no traffic to an instance that is not ready. Each call checks afresh.

    Anonymous, and never rate limited. Each failed check's reason (which may name hosts and
    driver messages) is logged, and told only to a caller with the `admin` scope; anyone else
    reads `not ready`. A credential that is not valid is treated as none, never a 401."""
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


_METRICS_TEXT = """\
# HELP http_requests_total HTTP requests answered
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/v1/jobs/{job_id}",status="200"} 42.0
"""


@router.get(
    "/metrics", summary="Prometheus metrics", response_class=Response,
    openapi_extra={"security": OPTIONAL_ADMIN},
    responses=responses(
        "unauthorized", "forbidden", "rate-limited", "database-unavailable",
        _200={"description": "The metrics, in the Prometheus text format.",
              "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"},
                                                "example": _METRICS_TEXT}}},
    ),
)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """The API's metrics for Prometheus to scrape: requests by route and status with their
    latency, job outcomes, queue lengths and circuit-breaker states (docs/operations.md,
    "Metrics", lists them). Never rate limited by client address.

    Open by default. With `api_metrics_require_key` set it needs a credential with the
    `admin` scope: without one it answers 401, with another scope 403, and the credential's
    own rate limit applies (429)."""
    if settings.api_metrics_require_key:
        principal = await principal_for(request, settings)
        if not principal.allows(ADMIN):
            raise forbidden(ADMIN)
    return Response(generate_latest(request.app.state.metrics_registry),
                    media_type=CONTENT_TYPE_LATEST)
