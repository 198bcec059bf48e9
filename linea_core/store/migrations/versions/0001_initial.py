"""Initial schema: sessions, blocks, nodes, stored values, artifacts, version counters, pipelines.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("python_version", sa.String(64), nullable=True),
        sa.Column("working_dir", sa.Text(), nullable=True),
        sa.Column("entry_path", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_table(
        "blocks",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_blocks_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "index", name="pk_blocks"),
    )
    op.create_table(
        "nodes",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block", sa.Integer(), nullable=False),
        sa.Column("lineno", sa.Integer(), nullable=False),
        sa.Column("end_lineno", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("deps", sa.JSON(), nullable=False),
        sa.Column("external_writes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id", "block"],
            ["blocks.session_id", "blocks.index"],
            name="fk_nodes_block_blocks",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_nodes_session_id_sessions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "id", name="pk_nodes"),
    )
    op.create_index("ix_nodes_session_block", "nodes", ["session_id", "block"])
    op.create_table(
        "stored_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("serializer", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(64), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("backend_metadata", sa.JSON(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stored_values"),
        sa.UniqueConstraint("backend", "serializer", "sha256", name="uq_stored_values_content"),
    )
    op.create_table(
        "artifact_version_counters",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("next_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_artifact_version_counters"),
    )
    op.create_table(
        "artifacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("date_created", TZ, nullable=False),
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("slice_root", sa.JSON(), nullable=True),
        sa.Column("value_id", sa.Integer(), nullable=True),
        sa.Column("external_state", sa.String(32), nullable=True),
        sa.Column("storage_backend", sa.String(64), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_artifacts_session_id_sessions",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["stored_values.id"],
            name="fk_artifacts_value_id_stored_values",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_artifacts"),
        sa.UniqueConstraint("name", "version", name="uq_artifacts_name_version"),
    )
    op.create_index("ix_artifacts_session_id", "artifacts", ["session_id"])
    op.create_index("ix_artifacts_value_id", "artifacts", ["value_id"])
    op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("framework", sa.String(64), nullable=False),
        sa.Column("artifact_names", sa.JSON(), nullable=False),
        sa.Column("dependencies", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pipelines"),
    )


def downgrade() -> None:
    op.drop_table("pipelines")
    op.drop_index("ix_artifacts_value_id", table_name="artifacts")
    op.drop_index("ix_artifacts_session_id", table_name="artifacts")
    op.drop_table("artifacts")
    op.drop_table("artifact_version_counters")
    op.drop_table("stored_values")
    op.drop_index("ix_nodes_session_block", table_name="nodes")
    op.drop_table("nodes")
    op.drop_table("blocks")
    op.drop_table("sessions")
