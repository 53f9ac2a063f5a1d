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
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from api.problems import PROBLEM_TYPES
from pipeline.errors import InvalidInput
from pipeline.schema import json_path

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    """One offending field of a request."""

    field: str = Field(description=(
        "Its path in the request: `resume.work[2].startDate`, `postings[3]`, "
        "`header.Idempotency-Key`; `body` for the body as a whole."))
    message: str = Field(description="What is wrong with it, for a person to read.")


class Problem(BaseModel):
    """An error (RFC 9457 problem details), sent as `application/problem+json`. Branch on
    `type`; `title` and `detail` are for people and may be reworded."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        PROBLEM_TYPES["validation-error"].example("/v1/jobs"),
        PROBLEM_TYPES["not-found"].example("/v1/jobs/6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f"),
    ]})

    type: str = Field(default="about:blank", description=(
        "The kind of error, a URI reference from the list in docs/api.md "
        "(`/problems/not-found`); `about:blank` for plain HTTP errors such as an unknown "
        "path or method."))
    title: str = Field(description="A short summary of the kind, the same for every "
                                   "occurrence of the type.")
    status: int = Field(description="The HTTP status code, repeated.")
    detail: str = Field(default="", description="What went wrong this time.")
    instance: str | None = Field(default=None, description="The request path it answers.")
    errors: list[FieldError] | None = Field(default=None, description=(
        "Input errors only: one entry per offending field."))
    limit_bytes: int | None = Field(default=None, description=(
        "`body-too-large` only: the byte limit the body exceeded."))


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
        unreadable = exc.status_code == 400
        errors = [FieldError(field="body", message=str(exc.detail))] if unreadable else []
        return problem_response(
            exc.status_code, title, str(exc.detail), instance=request.url.path,
            slug="unreadable-body" if unreadable else None,
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
            500, "Internal server error", "the error was logged", slug="internal-error",
            instance=request.url.path,
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

# ---------------------------------------------------------------- OpenAPI declarations

PROBLEM_SCHEMA_REF = "#/components/schemas/Problem"
HEADER_REF = "#/components/headers/{name}"  # api.openapi adds each of HEADERS there

# The headers an answer may carry, by name, as `components.headers` describes them.
HEADERS: dict[str, dict[str, Any]] = {
    "Retry-After": {"description": "Seconds to wait before retrying.",
                    "schema": {"type": "integer", "minimum": 0}, "example": 1},
    "WWW-Authenticate": {"description": "The credentials the API takes: "
                                        "`Bearer realm=\"resume-tailor\", ApiKey "
                                        "header=\"X-API-Key\"`.",
                         "schema": {"type": "string"}},
    "RateLimit-Limit": {"description": "Requests (a batch: items) allowed in the current "
                                       "window by the tighter of your two limits (per "
                                       "credential, per client address).",
                        "schema": {"type": "integer"}, "example": 600},
    "RateLimit-Remaining": {"description": "How many of them are left in this window.",
                            "schema": {"type": "integer", "minimum": 0}, "example": 599},
    "RateLimit-Reset": {"description": "Seconds until the window ends and the count starts "
                                       "again.",
                        "schema": {"type": "integer", "minimum": 0}, "example": 42},
    "X-Request-ID": {"description": "The request's correlation id: the `X-Request-ID` you "
                                    "sent (short printable ASCII) or one made for it. It is "
                                    "in every log line the request causes; quote it when "
                                    "reporting a problem.",
                     "schema": {"type": "string"}, "example": "4bf92f3577b34da6a3ce929d0e0e4736"},
}
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")

# The problems every route can answer.
COMMON_PROBLEMS: tuple[str, ...] = ("internal-error",)
# ... and those of every route that takes a caller (`api.deps.require`): no or bad
# credentials, a scope the credential lacks, over a rate limit, and (an API key is looked up
# in Postgres) the database unavailable. tests/api/test_openapi_document.py checks that every
# operation whose dependencies declare a credential (its `security`) lists them.
AUTHENTICATED: tuple[str, ...] = (
    "unauthorized", "forbidden", "rate-limited", "database-unavailable")
# ... less "forbidden" where any valid credential will do (`api.deps.Caller`).
ANY_CREDENTIAL: tuple[str, ...] = tuple(s for s in AUTHENTICATED if s != "forbidden")


def responses(*slugs: str, **successes: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the problem types it can answer (by slug, see
    `api.problems`), grouped by status, plus `COMMON_PROBLEMS`; each lists its `type` URIs, an
    example body and the headers it carries. `successes` adds other responses by status
    (`_200={...}`)."""
    by_status: dict[int, list[str]] = {}
    for slug in dict.fromkeys((*slugs, *COMMON_PROBLEMS)):
        problem = PROBLEM_TYPES[slug]  # a KeyError here is a typo in a route's declaration
        by_status.setdefault(problem.status, []).append(slug)
    out: dict[int | str, dict[str, Any]] = {
        int(code.removeprefix("_")): body for code, body in successes.items()
    }
    for status, kinds in sorted(by_status.items()):
        types = [PROBLEM_TYPES[slug] for slug in kinds]
        schema = {
            "allOf": [{"$ref": PROBLEM_SCHEMA_REF}],
            "properties": {"type": {"enum": [t.uri for t in types],
                                    "description": "The problem types this answer can carry."}},
        }
        answer: dict[str, Any] = {
            "description": " ".join(f"`{t.uri}`: {t.meaning}" for t in types),
            "content": {PROBLEM_MEDIA_TYPE: {
                "schema": schema,
                "examples": {t.slug: {"summary": t.title, "value": t.example()}
                             for t in types},
            }},
        }
        names = [name for t in types for name in t.headers]
        if names:
            answer["headers"] = {name: {"$ref": HEADER_REF.format(name=name)}
                                 for name in dict.fromkeys(names)}
        out[status] = answer
    return out
