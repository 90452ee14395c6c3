"""Immutable values the state store hands out.

Repositories return these plain frozen dataclasses instead of ORM objects: they stay valid after the
transaction ends, can be logged or passed between tasks, and can never write back by accident.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jetshop_hogia.keys import OrderKey as OrderKey  # the shared key (re-exported for the ledger)
from jetshop_hogia.state.transitions import OrderState


@dataclass(frozen=True)
class OrderRecord:
    """A snapshot of one ledger row."""

    key: OrderKey
    state: OrderState
    attempts: int
    idempotency_key: str
    jetshop_order_id: int | None
    channel_id: int | None
    hogia_invoice_id: str | None
    payload_hash: str | None
    pushed_payload_hash: str | None
    payload_changed_at: datetime | None
    order_changed_at: datetime | None
    last_error: str | None
    state_reason: str | None
    claim_token: str | None
    claim_expires_at: datetime | None
    claim_run_id: str | None
    """The run whose try holds the live claim and has not reported yet (None once it reported)."""
    first_seen_run_id: str | None
    last_run_id: str | None
    pushed_run_id: str | None
    created_at: datetime
    updated_at: datetime
    pushed_at: datetime | None

    @property
    def changed_since_push(self) -> bool:
        """The order was pushed and Jetshop has since shown different content (needs a human/credit)."""
        return self.state is OrderState.PUSHED and self.payload_hash != self.pushed_payload_hash


@dataclass(frozen=True)
class SeenResult:
    """What ``record_seen`` did: whether the row is new and whether the content changed."""

    order: OrderRecord
    created: bool
    payload_changed: bool


@dataclass(frozen=True)
class Claim:
    """Proof that this caller, and no other run, may create the invoice for ``key`` right now.

    Commit the transaction that made the claim *before* calling Hogia, and report the outcome with the
    same claim. When ``outcome_unknown`` is true a previous attempt may already have created the invoice
    (it crashed, timed out, or was an earlier try of this same Airflow run that died before reporting):
    look it up in Hogia (by ``idempotency_key`` / order number) first.
    """

    key: OrderKey
    token: str
    run_id: str
    attempt: int
    idempotency_key: str
    expires_at: datetime
    outcome_unknown: bool

    def is_live(self, now: datetime) -> bool:
        """Whether the claim still protects a push started at ``now`` (check just before the API call)."""
        return now < self.expires_at


@dataclass(frozen=True)
class Binding:
    """One external id bound to one Hogia id."""

    tenant_id: str
    shop_id: str
    entity: str
    external_id: str
    hogia_id: str
    last_pushed_hash: str | None
    created_at: datetime
    updated_at: datetime


WatermarkValue = datetime | int | str


@dataclass(frozen=True)
class Watermark:
    """How far a stream has read."""

    tenant_id: str
    stream: str
    scope: str
    value: WatermarkValue
    run_id: str | None
    updated_at: datetime


@dataclass(frozen=True)
class QuarantineEntry:
    """A record parked for a human, with the reason in machine (code) and human (text) form."""

    id: int
    tenant_id: str
    stream: str
    shop_id: str
    record_key: str
    reason_code: str
    reason_text: str
    payload: Any | None
    occurrences: int
    run_id: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Still waiting for a human."""
        return self.resolved_at is None


class ReconciliationStatus(enum.StrEnum):
    """Overall verdict of one reconciliation window."""

    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class ReconciliationCounts:
    """The numbers a reconciliation reports; ``expected`` is what the source says should exist."""

    expected: int = 0
    matched: int = 0
    missing: int = 0
    duplicates: int = 0
    mismatched: int = 0
    quarantined: int = 0


@dataclass(frozen=True)
class ReconciliationResult:
    """One stored reconciliation outcome."""

    id: int
    tenant_id: str
    stream: str
    scope: str
    window_start: datetime
    window_end: datetime
    run_id: str | None
    status: ReconciliationStatus
    counts: ReconciliationCounts
    details: Any | None = field(default=None)
    created_at: datetime | None = field(default=None)
