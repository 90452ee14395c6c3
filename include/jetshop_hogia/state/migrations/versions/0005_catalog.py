"""Catalog streams: the ``catalog_sync`` table (confirmed hash and source version per item and shop).

Revision ID: 0005_catalog
Revises: 0002_claim_run_id
Create Date: 2026-12-01

Written by hand and frozen, like 0001. The composite primary key is the look-up key of every delta run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_catalog"
down_revision: str | Sequence[str] | None = "0003_fencing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One new table; nothing existing changes."""
    op.create_table(
        "catalog_sync",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("pushed_hash", sa.String(128), nullable=True),
        sa.Column("source_version", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "stream", "shop_id", "item_key", name="pk_catalog_sync"),
    )


def downgrade() -> None:
    """Drop the table (delta state is rebuilt by sending everything once)."""
    op.drop_table("catalog_sync")
