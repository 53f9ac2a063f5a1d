"""The insert behind every submit, for jobs and batches alike: a row unless the tenant
already used the request's `Idempotency-Key`, else the row that key made."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.orm import Session

from workers.db.models import Batch, Job

Row = TypeVar("Row", Job, Batch)


def insert_unless_key_used(table: Table) -> Insert:
    """`INSERT … ON CONFLICT (tenant, idempotency_key) DO NOTHING`: inserts nothing (and
    returns no row) when the tenant already used the key. A row without a key always goes in
    (NULLs never conflict)."""
    return insert(table).on_conflict_do_nothing(index_elements=["tenant", "idempotency_key"])


def insert_or_get(session: Session, model: type[Row], row: dict[str, Any]) -> tuple[Row, bool]:
    """Insert `row`, or with its key already used by the tenant, load that row instead
    (`created` False). The caller compares `request_hash` to tell a replay from a conflicting
    reuse of the key."""
    table: Table = model.__table__  # type: ignore[assignment]
    stmt = (
        select(model)
        .from_statement(insert_unless_key_used(table).values(row).returning(*table.c))
        .execution_options(populate_existing=True)
    )
    created = session.execute(stmt).scalar_one_or_none()
    if created is not None:
        return created, True
    existing = session.execute(
        select(model).where(model.tenant == row["tenant"],
                            model.idempotency_key == row["idempotency_key"])
    ).scalar_one()
    return existing, False
