"""Request dependencies as `Annotated` aliases (`SessionDep`, `TenantDep`, `SettingsDep`,
`IdempotencyKey`) and the path ids every resource parses alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path
from sqlalchemy.orm import Session

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


async def _tenant() -> str:
    # Authentication comes later; until then every caller is the one configured tenant, and
    # every query already filters by it.
    return get_settings().api_tenant


async def current_settings() -> Settings:
    return get_settings()


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
TenantDep = Annotated[str, Depends(_tenant)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
