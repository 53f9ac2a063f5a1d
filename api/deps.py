"""Request dependencies as `Annotated` aliases (`SessionDep`, `SettingsDep`, `IdempotencyKey`,
and the callers by scope: `JobsWrite`, `JobsRead`, `BatchesWrite`, `Admin`, `Caller`) and the
path ids every resource parses alike."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.auth import Principal, forbidden, principal_for
from api.errors import not_found
from workers.db.session import new_session
from workers.settings import Settings, get_settings


def _session() -> Iterator[Session]:
    # The route commits (then enqueues); anything left uncommitted is rolled back on close.
    session = new_session()
    try:
        yield session
    finally:
        session.close()


# The cheap dependencies are `async def`: a plain `def` would cost each request a hop
# through the thread pool for nothing.


async def current_settings() -> Settings:
    return get_settings()


# The two credentials, as OpenAPI security schemes. `api.auth` reads the headers itself; these
# are in each caller's signature so that FastAPI declares every operation's `security` (with
# the scope it needs) from what the route really depends on. Neither ever refuses a request.
API_KEY_SCHEME, BEARER_SCHEME = "ApiKey", "BearerJWT"
_api_key_header = APIKeyHeader(
    name="X-API-Key", scheme_name=API_KEY_SCHEME, auto_error=False,
    description="An API key, `rt_<prefix>_<secret>`, made by an operator "
                "(`resume-tailor-admin keys create`) and shown once. It speaks for one tenant, "
                "with the scopes it was made with.")
_bearer_token = HTTPBearer(
    scheme_name=BEARER_SCHEME, bearerFormat="JWT", auto_error=False,
    description="`Authorization: Bearer <JWT>` from your identity provider, where the "
                "deployment accepts them: HS256 or RS256 with `exp`, `iss` and `aud`; the "
                "tenant in the `tenant` claim and the scopes in `scope` (space-separated) "
                "unless the deployment names other claims.")


def require(scope: str | None) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the authenticated caller, which must hold `scope` (None: any)."""
    scopes = [scope] if scope else []
    # Defaults, not `Annotated`: the annotations are strings resolved in this module's
    # globals, where `scopes` does not exist.
    api_key = Security(_api_key_header, scopes=scopes)
    bearer = Security(_bearer_token, scopes=scopes)

    async def caller(
        request: Request,
        settings: Annotated[Settings, Depends(current_settings)],
        _api_key: str | None = api_key,
        _bearer: HTTPAuthorizationCredentials | None = bearer,
    ) -> Principal:
        principal = await principal_for(request, settings)
        if scope is not None and not principal.allows(scope):
            raise forbidden(scope)
        return principal

    caller.__name__ = f"caller_with_{(scope or 'any').replace(':', '_')}"
    return caller


IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", examples=["order-4711-attempt"],
           description="Makes the submit safe to retry: the same key with the same body "
                       "answers with what the first request created (200) and queues "
                       "nothing; with a different body it is a 422. 1 to 255 printable "
                       "characters, per tenant."),
]
JobIdPath = Annotated[str, Path(
    description="The job's id, a UUID (the submit's `id`, the last part of its `Location`).",
    examples=["6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f"])]
BatchIdPath = Annotated[str, Path(
    description="The batch's id, a UUID (the submit's `id`).",
    examples=["0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b"])]


def parse_id(value: str, what: str = "job") -> uuid.UUID:
    """A malformed id is simply a resource that does not exist."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise not_found(what) from None


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
any_caller = require(None)
Caller = Annotated[Principal, Depends(any_caller)]
JobsWrite = Annotated[Principal, Depends(require("jobs:write"))]
JobsRead = Annotated[Principal, Depends(require("jobs:read"))]
BatchesWrite = Annotated[Principal, Depends(require("batches:write"))]
Admin = Annotated[Principal, Depends(require("admin"))]
