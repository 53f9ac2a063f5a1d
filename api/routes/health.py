"""`/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field

from api import readiness
from api.deps import SettingsDep
from api.errors import FieldError, problem_response, responses

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
            responses=responses("not-ready"))
async def readyz(settings: SettingsDep) -> Response:
    """200 when Postgres, the broker and the object store all answer within the readiness
    timeout; else 503 (`not-ready`) naming each that does not, with why. For a readiness
    probe: route no traffic to an instance that is not ready. Each call checks afresh."""
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
