"""Article quantities of shop orders, for the optional sellable stock (``catalog.stock_sellable``).

Revision ID: 0009_sellable_stock
Revises: 0007_order_status
Create Date: 2026-12-02

Issue 9, item 4. One row per (tenant, shop, order, article): the goods quantity the order stream last
read. Joined with ``order_ledger``, orders not yet invoiced reduce the stock sent to the shops. Written by
hand and frozen, like the earlier revisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sellable_stock"
down_revision: str | Sequence[str] | None = "0008_initial_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One new table; nothing existing changes."""
    op.create_table(
        "order_article_quantity",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("order_number", sa.String(64), nullable=False),
        sa.Column("article_number", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "shop_id", "order_number", "article_number", name="pk_order_article_quantity"
        ),
    )


def downgrade() -> None:
    """Drop the table (it is refilled as the order stream reads orders again)."""
    op.drop_table("order_article_quantity")
