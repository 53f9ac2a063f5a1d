"""Request dependencies as `Annotated` aliases: `SessionDep`, `TenantDep`, `SettingsDep`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from api.config import ApiSettings, get_api_settings
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
    return get_api_settings().tenant


async def current_settings() -> Settings:
    return get_settings()


async def _api_settings() -> ApiSettings:
    return get_api_settings()


SessionDep = Annotated[Session, Depends(_session)]
TenantDep = Annotated[str, Depends(_tenant)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
ApiSettingsDep = Annotated[ApiSettings, Depends(_api_settings)]
