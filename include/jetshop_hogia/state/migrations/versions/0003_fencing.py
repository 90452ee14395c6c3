"""Intake attempts: records whose source answer was unreadable, retried for a bounded number of runs.

Revision ID: 0003_fencing
Revises: 0002_claim_run_id
Create Date: 2026-12-01

Part of the poison-proof fetch and push-fencing work (issue 8). Fencing itself needs no schema: on
PostgreSQL it is a session advisory lock held across each create (``state.fencing``). What needs a table
is the bounded retry of an answer that cannot be read at all (``state.intake_attempts``): one row per
record and scope, counting the runs that failed to read it.

Written by hand and frozen, like 0001 and 0002.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_fencing"
down_revision: str | Sequence[str] | None = "0002_claim_run_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One new table; nothing existing changes."""
    op.create_table(
        "intake_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("label", sa.String(128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(64), nullable=False),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("first_run_id", sa.String(250), nullable=True),
        sa.Column("last_run_id", sa.String(250), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attempts >= 1", name="ck_intake_attempts_attempts"),
        sa.PrimaryKeyConstraint("id", name="pk_intake_attempts"),
        sa.UniqueConstraint(
            "tenant_id",
            "stream",
            "scope",
            "record_id",
            name="uq_intake_attempts_tenant_id_stream_scope_record_id",
        ),
    )


def downgrade() -> None:
    """Drop the table (pending retries are forgotten; their records come back with the change list)."""
    op.drop_table("intake_attempts")
