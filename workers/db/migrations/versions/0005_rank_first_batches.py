"""rank-first batches: batches.tailor_top and batches.ranked, and the job state `ranked`

A rank-first batch parses and scores every item, then tailors only the best `tailor_top`; the
others end `ranked` and are counted in `batches.ranked`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 21:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STATES = ("queued", "parsing", "scoring", "rewriting", "compiling", "uploading", "succeeded",
           "failed", "cancelled")


def _state_check(states: tuple[str, ...]) -> str:
    return f"state IN ({', '.join(repr(s) for s in states)})"


def upgrade() -> None:
    op.add_column("batches", sa.Column("ranked", sa.Integer(), server_default=sa.text("0"),
                                       nullable=False))
    op.add_column("batches", sa.Column("tailor_top", sa.Integer(), nullable=True))
    op.drop_constraint(op.f("ck_jobs_state"), "jobs", type_="check")
    op.create_check_constraint(op.f("ck_jobs_state"), "jobs", _state_check((*_STATES, "ranked")))


def downgrade() -> None:
    # A ranked item was parsed and scored and never tailored; before this revision the
    # nearest state that says "finished without its PDF" is cancelled.
    op.execute("UPDATE jobs SET state = 'cancelled' WHERE state = 'ranked'")
    op.execute("UPDATE batches SET cancelled = cancelled + ranked")
    op.drop_constraint(op.f("ck_jobs_state"), "jobs", type_="check")
    op.create_check_constraint(op.f("ck_jobs_state"), "jobs", _state_check(_STATES))
    op.drop_column("batches", "tailor_top")
    op.drop_column("batches", "ranked")
