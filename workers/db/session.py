"""Engine and sessions, created lazily so a forked worker child builds its own pool
(`workers.app` calls `reset_engine()` on `worker_process_init`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from workers.settings import get_settings

log = logging.getLogger(__name__)
_engine: Engine | None = None
_application_name = "resume-tailor"
_ping_idle_s: float | None = None  # None: the setting's
_sessionmaker: sessionmaker[Session] | None = None
_autocommit_engine: Engine | None = None


def _json_dumps(value: object) -> bytes:
    # Dict keys that are not strings become strings, as json.dumps makes them.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


# How JSONB columns are written and read, by both engines (this one and the API's): orjson in
# place of the json module. A stage task reads its inputs and writes its outputs as JSONB on
# every task; json's loads and dumps were about a tenth of a light task's own CPU.
JSON_CODEC: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def get_engine() -> Engine:
    global _engine, _sessionmaker, _autocommit_engine
    if _engine is None:
        settings = get_settings()
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            pool_recycle=1800,
            connect_args={"application_name": _application_name},
            # Errors quote their statement's parameters otherwise: resumes and postings in logs.
            hide_parameters=True,
            **JSON_CODEC,
        )
        ping_idle_connections(
            engine, settings.database_ping_idle_s if _ping_idle_s is None else _ping_idle_s)
        _sessionmaker = sessionmaker(engine, expire_on_commit=False)
        # The same pool; a connection checked out through it runs each statement as its own
        # transaction (no BEGIN, no COMMIT round trip).
        _autocommit_engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        # Set last: a time limit striking while the engine is built leaves None here, and the
        # next call builds it all again, not an engine without its autocommit variant.
        _engine = engine
    return _engine


def configure_connections(name: str, *, ping_idle_s: float | None = None) -> None:
    """This process's `application_name` for its new connections (so `pg_stat_activity` tells
    the API's connections from each worker pool's) and, if given, its own idle threshold for
    testing a pooled connection (`ping_idle_connections`) instead of the setting's."""
    global _application_name, _ping_idle_s
    if (name, ping_idle_s) != (_application_name, _ping_idle_s):
        _application_name, _ping_idle_s = name, ping_idle_s
        reset_engine()


def ping_idle_connections(engine: Engine, idle_s: float) -> None:
    """Test a pooled connection before use when it sat idle for `idle_s` or longer (0: every
    time), and replace it if Postgres went away meanwhile (a restart leaves every pooled
    connection dead).

    `pool_pre_ping` tests every checkout: one more round trip per transaction, about 0.4 ms of
    CPU, ten times per job in the workers and on every submit. A connection handed back and
    taken again within a second has just worked; one that dies under us anyway fails its
    statement, the pool then drops all connections older than the failure, and the caller's
    error handling (a task retry, a submit's one retry) takes over.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checking_out(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        checked_in = record.info.get("checked_in")
        if checked_in is None or time.monotonic() - checked_in < idle_s:
            return  # new, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # The pool invalidates this connection and checks out another (3 tries).
                raise exc.DisconnectionError(str(error)) from error
            raise


def reset_engine() -> None:
    """Forget the engine (after a fork, or when the settings changed). The inherited pool's
    connections are dropped without closing them: they belong to the parent process."""
    global _engine, _sessionmaker, _autocommit_engine
    if _engine is not None:
        _engine.dispose(close=False)
    _engine = None
    _sessionmaker = None
    _autocommit_engine = None


def new_session() -> Session:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker()


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises. Repository
    functions never commit; the caller's scope does."""
    session = new_session()
    try:
        yield session
        session.commit()
    except BaseException:
        try:
            session.rollback()
        except Exception:
            # The connection broke mid-command (a restart, a time limit striking inside a
            # query); the pool discards it. What the caller must see is the first error.
            log.warning("rollback failed; discarding the connection", exc_info=True)
            session.invalidate()
        raise
    finally:
        session.close()


@contextmanager
def autocommit_connection() -> Iterator[Connection]:
    """A pooled connection on which every statement commits on its own (no BEGIN, no COMMIT
    round trip) and no Session: for the stage tasks' guarded transitions, plain Core, one
    UPDATE standing alone each. An autocommit Session's bookkeeping around them was about a
    fifth of their CPU, paid twice by every stage task. Never for changes that must land
    together. A connection that broke under a statement is discarded by the pool when it
    is handed back."""
    get_engine()
    assert _autocommit_engine is not None
    with _autocommit_engine.connect() as connection:
        yield connection
