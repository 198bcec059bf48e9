"""Stored values record where they were written and which hash identifies them.

``root`` is the storage location a value was written under (``artifact_storage_dir``
at the time, or a value backend's own place); values written before this revision
have ``''`` and are read from the configured directory, as before. ``sha256``
becomes ``content_hash`` holding ``algorithm:hex`` (old rows: ``sha256:...``), and
is NULL, like ``serializer``, for values a value backend (a model registry) keeps
itself. Deduplication is keyed on everything that decides where a value lives:
backend, root, serializer and content hash.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


TZ = sa.DateTime(timezone=True)


def _table_at_0001() -> sa.Table:
    """The table as revision 0001 made it: SQLite's batch mode copies from it offline."""
    return sa.Table(
        "stored_values",
        sa.MetaData(),
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


def upgrade() -> None:
    with op.batch_alter_table("stored_values", copy_from=_table_at_0001()) as batch:
        batch.drop_constraint("uq_stored_values_content", type_="unique")
        batch.alter_column(
            "sha256",
            new_column_name="content_hash",
            existing_type=sa.String(64),
            type_=sa.String(80),
            nullable=True,
        )
        batch.alter_column("serializer", existing_type=sa.String(64), nullable=True)
        batch.add_column(sa.Column("root", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE stored_values SET content_hash = 'sha256:' || content_hash")
    op.create_index(
        "uq_stored_values_place",
        "stored_values",
        ["backend", "root", "serializer", "content_hash"],
        unique=True,
    )


def downgrade() -> None:
    raise NotImplementedError("linea does not downgrade a store: restore a backup instead")
