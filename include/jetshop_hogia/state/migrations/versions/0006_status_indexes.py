"""Reconciliation results: an index for "the newest window that reconciled OK" per tenant and stream.

Revision ID: 0006_status_indexes
Revises: 0002_claim_run_id
Create Date: 2026-12-01

The Sync status page shows, for each tenant on a page, the last window whose reconciliation passed (its
"last successful run" and the lag behind now). With a result every 5-15 minutes per tenant the table
grows by tens of thousands of rows per tenant and year; the existing (tenant, stream, window_end) index
would have to walk back past every failed window. With ``status`` before ``window_end`` the newest OK
window is one index seek (``ORDER BY window_end DESC LIMIT 1``) on SQLite and PostgreSQL.

Written by hand and frozen, like 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006_status_indexes"
down_revision: str | Sequence[str] | None = "0005_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_reconciliation_results_tenant_id_stream_status_window_end"


def upgrade() -> None:
    """A plain ``CREATE INDEX`` (no table rebuild on either backend)."""
    op.create_index(
        INDEX, "reconciliation_results", ["tenant_id", "stream", "status", "window_end"], unique=False
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="reconciliation_results")
