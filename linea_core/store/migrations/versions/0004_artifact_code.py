"""Recorded artifact code: each artifact's slice, computed once, read back in one query.

``get_code()`` of an artifact from a long session used to load and decode the whole
session graph and slice it again in every process. ``artifact_code`` keeps the code
once computed, per artifact and ``get_code`` variant, stamped with the slicing engine
that produced it and the session graph's revision; ``sessions.graph_revision`` is
bumped by every write of the session's graph, so code computed from an older graph is
never returned.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("graph_revision", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "artifact_code",
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(80), nullable=False),
        sa.Column("graph_revision", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artifact_id"],
            ["artifacts.id"],
            name="fk_artifact_code_artifact_id_artifacts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("artifact_id", "variant", name="pk_artifact_code"),
    )


def downgrade() -> None:
    op.drop_table("artifact_code")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("graph_revision")
