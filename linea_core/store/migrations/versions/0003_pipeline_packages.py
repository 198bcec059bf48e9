"""Pipelines: distributions a session imported, stored pipeline definitions' options.

Revision ID: 0003
Revises: 0002
Create Date: 2025-02-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_packages",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("module", sa.String(255), nullable=False),
        sa.Column("distribution", sa.String(255), nullable=True),
        sa.Column("version", sa.String(128), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_session_packages_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "module", name="pk_session_packages"),
    )
    with op.batch_alter_table("pipelines") as batch:
        batch.add_column(sa.Column("options", sa.JSON(), nullable=True))
    op.create_index("ix_pipelines_name", "pipelines", ["name"])


def downgrade() -> None:
    op.drop_index("ix_pipelines_name", table_name="pipelines")
    with op.batch_alter_table("pipelines") as batch:
        batch.drop_column("options")
    op.drop_table("session_packages")
