"""Tables of the initial product sync: a checkpoint per article and run, and the final report per run.

``initial_sync_items`` holds one row per (tenant, Airflow run, scope, article): what the run did with it.
A retried batch task reads it and skips what an earlier try finished, so a killed run resumes where it
stopped. ``initial_sync_reports`` keeps each run's counts and article numbers for ops and audits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Boolean, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from jetshop_hogia.state.models import ID_LEN, RUN_ID_LEN, StateBase
from jetshop_hogia.state.sqltypes import UtcDateTime

ITEM_KEY_LEN = 200
OUTCOME_LEN = 32


class InitialSyncItemRow(StateBase):
    """What one initial-sync run did with one article in one scope (shop id, or ``*`` for Hogia)."""

    __tablename__ = "initial_sync_items"

    tenant_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(RUN_ID_LEN), primary_key=True)
    scope: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(ITEM_KEY_LEN), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(OUTCOME_LEN))
    detail: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InitialSyncReportRow(StateBase):
    """The report of one initial-sync run."""

    __tablename__ = "initial_sync_reports"

    tenant_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(RUN_ID_LEN), primary_key=True)
    direction: Mapped[str] = mapped_column(String(OUTCOME_LEN))
    conflict_policy: Mapped[str] = mapped_column(String(OUTCOME_LEN))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime())


initial_sync_items = cast(Table, InitialSyncItemRow.__table__)
initial_sync_reports = cast(Table, InitialSyncReportRow.__table__)
