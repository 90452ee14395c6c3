"""Initial product sync: per-article checkpoints of each run and the run's final report.

Revision ID: 0008_initial_sync
Revises: 0007_order_status
Create Date: 2026-12-02

Issue 10 item 1. Written by hand and frozen, like the earlier revisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_initial_sync"
down_revision: str | Sequence[str] | None = "0007_order_status"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Two new tables; nothing existing changes."""
    op.create_table(
        "initial_sync_items",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "run_id", "scope", "item_key", name="pk_initial_sync_items"),
    )
    op.create_table(
        "initial_sync_reports",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("direction", sa.String(32), nullable=False),
        sa.Column("conflict_policy", sa.String(32), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "run_id", name="pk_initial_sync_reports"),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("initial_sync_reports")
    op.drop_table("initial_sync_items")
