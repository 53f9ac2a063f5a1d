"""The catalog of problem types: every `type` an error body (RFC 9457) can carry, with its
status, title and what it means for a client. The OpenAPI document and docs/api.md list them
from here, so a route's declared errors and the documentation cannot drift apart.

A `type` is a URI reference relative to the API's base URL (`/problems/not-found`); it is
stable within `/v1` and is what a client should branch on, not `title` or `detail`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    meaning: str  # for the integrator: when it happens and what to do
    example_detail: str
    example_errors: tuple[tuple[str, str], ...] = ()  # (field, message)
    retry_after: bool = False  # the answer carries `Retry-After`
    extra_headers: tuple[str, ...] = ()  # and these (`api.errors.HEADERS` describes each)

    @property
    def headers(self) -> tuple[str, ...]:
        return (("Retry-After",) if self.retry_after else ()) + self.extra_headers

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"

    def example(self, instance: str | None = None) -> dict[str, Any]:
        """A body of this type, as the service sends it."""
        body: dict[str, Any] = {
            "type": self.uri, "title": self.title, "status": self.status,
            "detail": self.example_detail,
        }
        if instance is not None:
            body["instance"] = instance
        if self.example_errors:
            body["errors"] = [{"field": f, "message": m} for f, m in self.example_errors]
        if self.slug == "body-too-large":
            body["limit_bytes"] = 2097152
        return body


_CATALOG = (
    ProblemType(
        "validation-error", 422, "Invalid request",
        "A field of the body, a header or a parameter is invalid: `errors` names each one by "
        "its path in the request (`resume.work[2].startDate`, `header.Idempotency-Key`). Fix "
        "the request; sending it again unchanged fails again.",
        "resume.work[2].startDate: not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        (("resume.work[2].startDate", "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"),),
    ),
    ProblemType(
        "idempotency-key-reused", 422, "Idempotency key reused",
        "The `Idempotency-Key` was used before with a different request body. Nothing was "
        "created; send the new body with a new key.",
        "this key was used with a different request body; use a new key",
        (("header.Idempotency-Key",
          "this key was used with a different request body; use a new key"),),
    ),
    ProblemType(
        "unreadable-body", 400, "Bad request",
        "The body could not be read as JSON at all (bytes that are not UTF-8, say); `errors` "
        "names `body`. Nothing was created; send UTF-8 JSON with `Content-Type: "
        "application/json`.",
        "There was an error parsing the body",
        (("body", "There was an error parsing the body"),),
    ),
    ProblemType(
        "body-too-large", 413, "Content too large",
        "The request body is larger than this server accepts (`limit_bytes`; batches have "
        "their own, larger limit). It was refused before being read; split a batch.",
        "request body exceeds the limit of 2097152 bytes",
        (("body", "larger than 2097152 bytes"),),
    ),
    ProblemType(
        "unauthorized", 401, "Unauthorized",
        "No credential, or one that is not valid: an unknown or revoked API key, a bearer "
        "token that is expired, not yet valid, for another issuer or audience, or badly "
        "signed, or both an `X-API-Key` and an `Authorization` header. `detail` says which. "
        "The body is not validated before the caller is known. Send one valid credential; "
        "retrying unchanged fails again.",
        "credentials required: X-API-Key or Authorization: Bearer",
        extra_headers=("WWW-Authenticate",),
    ),
    ProblemType(
        "forbidden", 403, "Forbidden",
        "The credential is valid but lacks the scope this operation needs (`jobs:write`, "
        "`jobs:read`, `batches:write`; `admin` implies all). Use a credential with that "
        "scope.",
        "this credential lacks the 'jobs:write' scope",
    ),
    ProblemType(
        "rate-limited", 429, "Too many requests",
        "Over a rate limit: requests per client address, or units of work per credential (a "
        "request counts one, a batch its items), in a fixed window shared by every server. "
        "Nothing was done; retry after the `Retry-After` seconds (a submit with the same "
        "`Idempotency-Key`). The `RateLimit-*` headers say where you stand.",
        "requests for credential key:3f9a1c2e: more than 600 in 42s left of this window; "
        "retry after it",
        retry_after=True, extra_headers=("RateLimit-Limit", "RateLimit-Remaining",
                                         "RateLimit-Reset"),
    ),
    ProblemType(
        "not-found", 404, "Not found",
        "No such resource for your tenant: the id is unknown, malformed, or another tenant's "
        "(the two are not told apart). An unknown artifact name is also this.",
        "no such job",
    ),
    ProblemType(
        "artifact-not-ready", 409, "Not ready",
        "The job has not succeeded (yet), so its artifacts do not exist. Wait for `state` "
        "`succeeded`; a failed or cancelled job never has artifacts.",
        "the job is compiling; artifacts exist once it succeeded",
    ),
    ProblemType(
        "job-finished", 409, "Already finished",
        "The job already succeeded or failed and can no longer be cancelled. Cancelling a "
        "cancelled job is not an error.",
        "the job is succeeded and can no longer be cancelled",
    ),
    ProblemType(
        "database-unavailable", 503, "Service unavailable",
        "The database is restarting or unreachable. Nothing was changed; retry after the "
        "`Retry-After` seconds (with the same `Idempotency-Key`, a submit is safe to retry).",
        "the database is unavailable; retry shortly", retry_after=True,
    ),
    ProblemType(
        "not-ready", 503, "Service unavailable",
        "`/readyz` only: a dependency (postgres, broker, s3) does not answer; `errors` names "
        "each with the reason. Take the instance out of rotation until it answers 200.",
        "not ready: broker",
        (("broker", "no answer within 2.0s"),),
    ),
    ProblemType(
        "internal-error", 500, "Internal server error",
        "A bug on our side; it was logged with its traceback. Retrying may or may not help.",
        "the error was logged",
    ),
)

PROBLEM_TYPES: dict[str, ProblemType] = {problem.slug: problem for problem in _CATALOG}
