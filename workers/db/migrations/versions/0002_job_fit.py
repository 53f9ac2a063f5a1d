"""jobs.fit and jobs.fit_parts: how well a posting fits the resume, the batch ranking's key

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("fit", sa.Float(), nullable=True))
    op.add_column(
        "jobs",
        sa.Column("fit_parts", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("jobs", "fit_parts")
    op.drop_column("jobs", "fit")
