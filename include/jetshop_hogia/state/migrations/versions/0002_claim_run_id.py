"""Order ledger: remember which run holds a push claim (``claim_run_id``).

Revision ID: 0002_claim_run_id
Revises: 0001_initial
Create Date: 2026-11-27

``last_run_id`` cannot tell who owns a claim: any run that merely sees the order (``record_seen``)
overwrites it. The claim's owner must be exact, because a retry of the same Airflow run may take over its
own earlier try's claim (see ``OrderLedger.claim_for_push``) while every other run must keep out. Existing
claims get NULL: they keep the old rule (wait for expiry), which is the safe side.

Written by hand and frozen, like 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_claim_run_id"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A nullable column: a plain ``ADD COLUMN`` on both backends, no table rebuild."""
    op.add_column("order_ledger", sa.Column("claim_run_id", sa.String(250), nullable=True))


def downgrade() -> None:
    """A plain ``DROP COLUMN`` (SQLite >= 3.35): a batch rebuild could lose the table's CHECK constraints."""
    op.drop_column("order_ledger", "claim_run_id")
