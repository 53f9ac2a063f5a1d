"""Engine and sessions, created lazily so a forked worker child builds its own pool
(`workers.app` calls `reset_engine()` on `worker_process_init`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from workers.settings import get_settings

log = logging.getLogger(__name__)
_engine: Engine | None = None
_sessionmaker: sessionmaker[Session] | None = None


def get_engine() -> Engine:
    global _engine, _sessionmaker
    if _engine is None:
        settings = get_settings()
        # pre_ping: a Postgres restart leaves dead pooled connections; test each before use.
        _engine = create_engine(
            settings.database_url,
            pool_pre_ping=True,
            pool_size=settings.database_pool_size,
            pool_recycle=1800,
        )
        _sessionmaker = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def reset_engine() -> None:
    """Forget the engine (after a fork, or when the settings changed). The inherited pool's
    connections are dropped without closing them: they belong to the parent process."""
    global _engine, _sessionmaker
    if _engine is not None:
        _engine.dispose(close=False)
    _engine = None
    _sessionmaker = None


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
