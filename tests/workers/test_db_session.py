"""Pooled connections against real Postgres: one killed while it sat idle is replaced before
use; one killed while in use fails once and the pool starts over."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.service_fixtures import terminate_backend
from workers.db.session import ping_idle_connections

pytestmark = pytest.mark.service


@pytest.fixture
def engine(service_env: dict[str, str]) -> Iterator[Engine]:
    made = create_engine(service_env["RT_DATABASE_URL"], pool_size=1, max_overflow=0)
    yield made
    made.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_killed_while_idle_is_replaced_before_use(engine: Engine) -> None:
    ping_idle_connections(engine, idle_s=0.2)
    killed = _backend_pid(engine)
    terminate_backend(engine.url.render_as_string(hide_password=False), killed)
    time.sleep(0.3)  # idle past the threshold: the checkout tests it and reconnects
    assert _backend_pid(engine) != killed


def test_a_connection_reused_at_once_is_not_tested(engine: Engine) -> None:
    # The price of skipping the round trip: a connection that dies between two quick uses
    # fails its next statement; the pool then drops it and the one after works.
    ping_idle_connections(engine, idle_s=60)
    killed = _backend_pid(engine)
    terminate_backend(engine.url.render_as_string(hide_password=False), killed)
    with pytest.raises(DBAPIError) as failure:
        _backend_pid(engine)
    assert failure.value.connection_invalidated
    assert _backend_pid(engine) != killed
