"""One place that turns errors into `application/problem+json` (RFC 9457).

Every error body has `type`, `title`, `status`, `detail`, and for input errors `errors`: one
entry per offending field, named by its path in the request (`resume.work[2].startDate`,
`posting`, `header.Idempotency-Key`), so a client can point at the exact spot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from pipeline.errors import InvalidInput
from pipeline.schema import json_path

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str  # path in the request: "resume.work[2].startDate", "posting"
    message: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str | None = None
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raised by routes for any answer that is not a success."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        slug: str | None = None,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.slug = slug
        self.errors = list(errors)
        self.headers = headers or {}


def invalid(field: str, message: str, *, title: str = "Invalid request") -> ApiProblem:
    """A 422 naming one field."""
    return ApiProblem(
        422, title, f"{field}: {message}", slug="validation-error",
        errors=[FieldError(field=field, message=message)],
    )


def not_found(what: str) -> ApiProblem:
    return ApiProblem(404, "Not found", f"no such {what}", slug="not-found")


def problem_response(
    status: int,
    title: str,
    detail: str = "",
    *,
    slug: str | None = None,
    errors: Sequence[FieldError] = (),
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=f"/problems/{slug}" if slug else "about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=list(errors) or None,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def field_path(loc: Iterable[Any]) -> str:
    """pydantic's loc tuple → a readable path: ("body", "resume", "work", 2, "startDate")
    → "resume.work[2].startDate". Where the location is the body as a whole, say "body"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    elif parts and parts[0] in ("header", "query", "path"):
        parts = [f"{parts[0]}.{parts[1]}"] + parts[2:] if len(parts) > 1 else parts
    path = json_path(parts)
    return path or "body"


def validation_errors(errors: Sequence[Any]) -> list[FieldError]:
    """FastAPI/pydantic error dicts → FieldErrors, keeping only what helps a client."""
    out: list[FieldError] = []
    for error in errors:
        loc = error.get("loc", ())
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            # loc is ("body", <char offset>): the offset is the useful part.
            offset = loc[1] if len(loc) > 1 else None
            ctx = (error.get("ctx") or {}).get("error", "")
            out.append(FieldError(field="body", message=f"invalid JSON at {offset}: {ctx}"))
            continue
        out.append(FieldError(field=field_path(loc), message=message))
    return out


def install(app: FastAPI) -> None:
    """Register the handlers; call once from the app factory."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return problem_response(
            exc.status, exc.title, exc.detail, slug=exc.slug, errors=exc.errors,
            instance=request.url.path, headers=exc.headers,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        fields = ", ".join(dict.fromkeys(e.field for e in errors))
        return problem_response(
            422, "Invalid request", f"invalid fields: {fields}", slug="validation-error",
            errors=errors, instance=request.url.path,
        )

    async def on_invalid_input(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidInput)
        field = exc.field or "body"
        return problem_response(
            422, "Invalid request", str(exc), slug="validation-error",
            errors=[FieldError(field=field, message=exc.reason)], instance=request.url.path,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        title = _REASONS.get(exc.status_code, "Error")
        # FastAPI's only 400 is a body it could not read (bytes that are not UTF-8 JSON): an
        # input error like any other, so it names its field.
        errors = [FieldError(field="body", message=str(exc.detail))] if (
            exc.status_code == 400) else []
        return problem_response(
            exc.status_code, title, str(exc.detail), instance=request.url.path,
            errors=errors, headers=dict(exc.headers or {}),
        )

    async def on_database_down(request: Request, exc: Exception) -> JSONResponse:
        # Postgres restarting or unreachable: a retry shortly will likely work.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return problem_response(
            503, "Service unavailable", "the database is unavailable; retry shortly",
            slug="database-unavailable", instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Anything else is our bug: log it with its traceback, tell the client nothing inner.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500, "Internal server error", "the error was logged", instance=request.url.path,
        )

    app.add_exception_handler(ApiProblem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(InvalidInput, on_invalid_input)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(OperationalError, on_database_down)
    app.add_exception_handler(Exception, on_unexpected)


_REASONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    503: "Service unavailable",
}

# For OpenAPI: the problem responses a route may give. FastAPI files a response's `model` under
# application/json; `problem_media_type` moves it to where the body really is.
def problem_doc(description: str) -> dict[str, Any]:
    """One problem response, for a route's `responses`."""
    return {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": description}


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: problem_doc(title)
    for code, title in ((400, "Body not readable as JSON"), (404, "Not found"),
                        (413, "Content too large"), (422, "Invalid request"))
}
# ... and those of every authenticated route.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: problem_doc(title)
    for code, title in ((401, "No valid credentials"), (403, "The credential lacks the scope"),
                        (429, "Rate limited (Retry-After, RateLimit-* headers)"))
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_media_type(openapi: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every problem response's schema under
    `application/problem+json` alone, the type these bodies are sent as (in place: calling it
    again changes nothing)."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if (PROBLEM_MEDIA_TYPE in content
                        and content.get("application/json", {}).get("schema") == _PROBLEM_REF):
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return openapi
