"""jobs.documents: which documents a job writes (the resume, and a cover letter)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("documents", postgresql.JSONB(astext_type=sa.Text()),
                                    server_default=sa.text("'[\"resume\"]'::jsonb"),
                                    nullable=False))


def downgrade() -> None:
    op.drop_column("jobs", "documents")
