"""The values the Sync status page shows: plain frozen dataclasses, no SQL, no HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from jetshop_hogia.state import OrderState

T = TypeVar("T")

BACKLOG_STATES: tuple[OrderState, ...] = (
    OrderState.SEEN,
    OrderState.ELIGIBLE,
    OrderState.PUSHING,
    OrderState.QUARANTINED,
)
"""Ledger states that still owe work or a decision. ``pushed`` is done and ``ignored`` deliberate, so they
are not backlog (and are never counted: they grow with every order ever seen)."""


@dataclass(frozen=True)
class WindowVerdict:
    """One stored reconciliation outcome, as the overview needs it."""

    run_id: str | None
    window_end: datetime
    ok: bool


@dataclass(frozen=True)
class TenantHealth:
    """What the state store says about one tenant (zeros and None when it never ran)."""

    tenant_id: str
    backlog: dict[OrderState, int]
    quarantine_by_stream: dict[str, int]
    last_ok: WindowVerdict | None
    latest: WindowVerdict | None

    @property
    def open_quarantine(self) -> int:
        """Records waiting for a human, all streams."""
        return sum(self.quarantine_by_stream.values())

    def lag(self, now: datetime) -> timedelta | None:
        """How far the last window that reconciled OK is behind ``now`` (None: never reconciled OK)."""
        return None if self.last_ok is None else max(now - self.last_ok.window_end, timedelta(0))


@dataclass(frozen=True)
class TenantSummary:
    """One line of the overview: the tenant file's facts next to the state store's."""

    tenant_id: str
    name: str | None
    flow: str
    plan: int
    schedule: str
    timezone: str
    streams: tuple[str, ...]
    dag_id: str
    health: TenantHealth


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list, with what a pager needs."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Amounts:
    """Gross amounts of one currency in a day's reconciled orders: what the orders said, what Hogia has."""

    expected: Decimal = Decimal(0)
    invoiced: Decimal = Decimal(0)

    @property
    def drift(self) -> Decimal:
        """Invoiced minus expected: zero when the books agree to the öre."""
        return self.invoiced - self.expected


@dataclass(frozen=True)
class DaySummary:
    """Reconciliation of one local day (the tenant's time zone), latest verdict per window."""

    day: date
    windows: int
    failed_windows: int
    orders: int
    """Orders that owed an invoice (``expected``)."""
    invoiced: int
    """Orders with exactly one invoice (``matched`` + ``mismatched``)."""
    missing: int
    duplicates: int
    mismatched: int
    quarantined: int
    amounts: dict[str, Amounts] = field(default_factory=dict)

    @property
    def drift_orders(self) -> int:
        """Orders whose books do not agree: no invoice, two invoices, or different totals."""
        return self.missing + self.duplicates + self.mismatched
