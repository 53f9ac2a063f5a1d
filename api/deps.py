"""Request dependencies as `Annotated` aliases (`SessionDep`, `SettingsDep`, `IdempotencyKey`,
and the callers by scope: `JobsWrite`, `JobsRead`, `BatchesWrite`, `Admin`, `Caller`) and the
path ids every resource parses alike."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
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


def require(scope: str | None) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the authenticated caller, which must hold `scope` (None: any)."""

    async def caller(request: Request,
                     settings: Annotated[Settings, Depends(current_settings)]) -> Principal:
        principal = await principal_for(request, settings)
        if scope is not None and not principal.allows(scope):
            raise forbidden(scope)
        return principal

    caller.__name__ = f"caller_with_{(scope or 'any').replace(':', '_')}"
    return caller


IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Same key and body → the same job."),
]


def parse_id(value: str, what: str = "job") -> uuid.UUID:
    """A malformed id is simply a resource that does not exist."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise not_found(what) from None


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
Caller = Annotated[Principal, Depends(require(None))]
JobsWrite = Annotated[Principal, Depends(require("jobs:write"))]
JobsRead = Annotated[Principal, Depends(require("jobs:read"))]
BatchesWrite = Annotated[Principal, Depends(require("batches:write"))]
Admin = Annotated[Principal, Depends(require("admin"))]
