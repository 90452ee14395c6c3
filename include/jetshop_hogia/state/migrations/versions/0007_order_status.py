"""Order status feedback: one row per feedback action, so mail, capture and credit happen at most once.

Revision ID: 0007_order_status
Revises: 0003_fencing
Create Date: 2026-12-01

Issue 11. ``action_key`` is ``event:<Hogia eventId>`` for an invoice status event sent to the shop and
``shop-cancel:<shop>:<order number>`` for a shop cancellation applied to the order's invoice. Written by
hand and frozen, like the earlier revisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_order_status"
down_revision: str | Sequence[str] | None = "0006_status_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One new table; nothing existing changes."""
    op.create_table(
        "order_status_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("action_key", sa.String(128), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("order_number", sa.String(64), nullable=False),
        sa.Column("jetshop_order_id", sa.BigInteger(), nullable=True),
        sa.Column("invoice_id", sa.String(128), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("target_status_id", sa.Integer(), nullable=True),
        sa.Column("mail_requested", sa.Boolean(), nullable=False),
        sa.Column("capture_requested", sa.Boolean(), nullable=False),
        sa.Column("capture_result", sa.String(32), nullable=True),
        sa.Column("credit_invoice_id", sa.String(128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("run_id", sa.String(250), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_status_feedback"),
        sa.UniqueConstraint("tenant_id", "action_key", name="uq_order_status_feedback_tenant_id_action_key"),
    )
    op.create_index(
        "ix_order_status_feedback_tenant_id_shop_id_order_number",
        "order_status_feedback",
        ["tenant_id", "shop_id", "order_number"],
    )
    op.create_index(
        "ix_order_status_feedback_tenant_id_run_id", "order_status_feedback", ["tenant_id", "run_id"]
    )


def downgrade() -> None:
    """Drop the table (the at-most-once memory of feedback goes with it)."""
    op.drop_table("order_status_feedback")
