"""Alembic environment: the URL from the settings (or `sqlalchemy.url` when a caller set one,
as the admin command does), the metadata from the models for autogenerate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from workers.db import models  # noqa: F401  (registers the tables on the metadata)
from workers.db.base import Base
from workers.settings import get_settings

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
