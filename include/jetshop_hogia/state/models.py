"""Table definitions of the state store (typed SQLAlchemy 2 declarative models).

These classes describe the schema; the migrations under ``migrations/versions`` create it, and a test
asserts both agree. The repositories use the tables through Core statements (compare-and-set UPDATEs
whose row counts decide who owns a push), never through ORM identity-mapped objects, so what they read is
always what the database holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jetshop_hogia.state.sqltypes import UtcDateTime, json_column_type
from jetshop_hogia.state.transitions import OrderState

TENANT_WIDE = "*"
"""Scope / shop value meaning "the whole tenant" (a real value, not NULL, so uniqueness holds)."""

ID_LEN = 64
RUN_ID_LEN = 250  # Airflow's run_id column length
HASH_LEN = 128

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ORDER_STATE_VALUES = ", ".join(f"'{state.value}'" for state in OrderState)


class StateBase(DeclarativeBase):
    """Declarative base with deterministic constraint names (needed by SQLite batch migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class BindingRow(StateBase):
    """One external record (Jetshop side) mapped to exactly one Hogia record, and back."""

    __tablename__ = "bindings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "shop_id", "entity", "external_id"),
        UniqueConstraint("tenant_id", "entity", "hogia_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    shop_id: Mapped[str] = mapped_column(String(ID_LEN))
    entity: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    hogia_id: Mapped[str] = mapped_column(String(128))
    last_pushed_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OrderLedgerRow(StateBase):
    """One web-shop order and where it is on its way to one Hogia invoice."""

    __tablename__ = "order_ledger"
    __table_args__ = (
        UniqueConstraint("tenant_id", "shop_id", "order_number"),
        UniqueConstraint("idempotency_key"),
        CheckConstraint(f"state IN ({ORDER_STATE_VALUES})", name="state"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index(None, "tenant_id", "state"),
        Index(None, "tenant_id", "shop_id", "order_changed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    shop_id: Mapped[str] = mapped_column(String(ID_LEN))
    order_number: Mapped[str] = mapped_column(String(64))
    jetshop_order_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    state_reason: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    hogia_invoice_id: Mapped[str | None] = mapped_column(String(128))
    payload_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    pushed_payload_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    payload_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    order_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claim_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    first_seen_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    last_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    pushed_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    pushed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WatermarkRow(StateBase):
    """How far one stream has read, per tenant and scope (a shop or the whole tenant)."""

    __tablename__ = "watermarks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "stream", "scope"),
        CheckConstraint("value_kind IN ('timestamp', 'integer', 'text')", name="value_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    stream: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(ID_LEN))
    value_kind: Mapped[str] = mapped_column(String(16))
    value_ts: Mapped[datetime | None] = mapped_column(UtcDateTime())
    value_int: Mapped[int | None] = mapped_column(BigInteger)
    value_text: Mapped[str | None] = mapped_column(String(512))
    run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QuarantineRow(StateBase):
    """A record that cannot be synced without a human; one row per record, reopened on recurrence."""

    __tablename__ = "quarantine"
    __table_args__ = (
        UniqueConstraint("tenant_id", "stream", "shop_id", "record_key"),
        Index(None, "tenant_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    stream: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str] = mapped_column(String(ID_LEN))
    record_key: Mapped[str] = mapped_column(String(128))
    reason_code: Mapped[str] = mapped_column(String(64))
    reason_text: Mapped[str] = mapped_column(Text)
    payload: Mapped[Any | None] = mapped_column(json_column_type())
    occurrences: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class IntakeAttemptRow(StateBase):
    """A record whose source answer could not be read at all yet: how many runs tried, and why not.

    The record is not in any stream table yet (nothing of it was readable); this row is what makes the
    next runs ask for it again, and what bounds how often before it is quarantined.
    """

    __tablename__ = "intake_attempts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "stream", "scope", "record_id"),
        CheckConstraint("attempts >= 1", name="attempts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    stream: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(ID_LEN))
    record_id: Mapped[str] = mapped_column(String(128))
    label: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer)
    reason_code: Mapped[str] = mapped_column(String(64))
    reason_text: Mapped[str] = mapped_column(Text)
    first_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    last_run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReconciliationResultRow(StateBase):
    """The outcome of comparing one stream's window between Jetshop, the ledger and Hogia."""

    __tablename__ = "reconciliation_results"
    __table_args__ = (
        CheckConstraint("status IN ('ok', 'failed')", name="status"),
        Index(None, "tenant_id", "stream", "window_end"),
        Index(None, "tenant_id", "stream", "status", "window_end"),  # Sync status: newest OK window
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    stream: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(ID_LEN))
    window_start: Mapped[datetime] = mapped_column(UtcDateTime())
    window_end: Mapped[datetime] = mapped_column(UtcDateTime())
    run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    status: Mapped[str] = mapped_column(String(16))
    expected: Mapped[int] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    mismatched: Mapped[int] = mapped_column(Integer)
    quarantined: Mapped[int] = mapped_column(Integer)
    details: Mapped[Any | None] = mapped_column(json_column_type())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OrderStatusFeedbackRow(StateBase):
    """One feedback action on one order, done at most once: a Hogia status event sent to the shop, or a
    shop cancellation applied to the order's invoice (``action_key`` says which; ``state.order_status``)."""

    __tablename__ = "order_status_feedback"
    __table_args__ = (
        UniqueConstraint("tenant_id", "action_key"),
        Index(None, "tenant_id", "shop_id", "order_number"),
        Index(None, "tenant_id", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(ID_LEN))
    action_key: Mapped[str] = mapped_column(String(128))
    shop_id: Mapped[str] = mapped_column(String(ID_LEN))
    order_number: Mapped[str] = mapped_column(String(64))
    jetshop_order_id: Mapped[int | None] = mapped_column(BigInteger)
    invoice_id: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    target_status_id: Mapped[int | None] = mapped_column(Integer)
    mail_requested: Mapped[bool] = mapped_column(Boolean)
    capture_requested: Mapped[bool] = mapped_column(Boolean)
    capture_result: Mapped[str | None] = mapped_column(String(32))
    credit_invoice_id: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[str | None] = mapped_column(String(RUN_ID_LEN))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


# The Core tables the repositories run their statements against.
bindings = cast(Table, BindingRow.__table__)
order_ledger = cast(Table, OrderLedgerRow.__table__)
watermarks = cast(Table, WatermarkRow.__table__)
quarantine = cast(Table, QuarantineRow.__table__)
reconciliation_results = cast(Table, ReconciliationResultRow.__table__)
intake_attempts = cast(Table, IntakeAttemptRow.__table__)
order_status_feedback = cast(Table, OrderStatusFeedbackRow.__table__)
