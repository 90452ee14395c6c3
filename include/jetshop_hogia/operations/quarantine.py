"""Quarantine as an operator sees it: list the open entries, look at one, release one.

*Release* means "I have fixed the cause (in Jetshop, Hogia or the tenant file); try this record again":
the entry is resolved and, for an order, the ledger moves it back to ``eligible``. The next scheduled run
sends it (runs take the unsent orders of the tenant's look-back, ``operations.max_catch_up_days``; an
older order needs a re-run of its day, ``make backfill``). Releasing never sends anything by itself and
never touches an order that already has an invoice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from jetshop_hogia.state import (
    ORDERS_STREAM,
    OrderKey,
    OrderRecord,
    OrderState,
    QuarantineEntry,
    StateStore,
)


@dataclass(frozen=True)
class QuarantineDetail:
    """One entry and, for an order, its ledger row (state, attempts, last error, window)."""

    entry: QuarantineEntry
    order: OrderRecord | None


def list_open(
    store: StateStore, tenant_id: str, *, stream: str | None = None, reason: str | None = None
) -> list[QuarantineEntry]:
    """Open entries of a tenant, oldest first; optionally of one stream and one reason code."""
    with store.transaction() as tx:
        entries = tx.quarantine.open_entries(tenant_id, stream=stream)
    return [entry for entry in entries if reason is None or entry.reason_code == reason]


def show(
    store: StateStore, *, tenant_id: str, stream: str, record_key: str, shop_id: str
) -> QuarantineDetail | None:
    """The entry of one record (open or resolved) with its order ledger row; None if never quarantined."""
    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant_id, stream, record_key, shop_id=shop_id)
        order = None
        if entry is not None and stream == ORDERS_STREAM:
            order = tx.ledger.get(OrderKey(tenant_id, shop_id, record_key))
    return QuarantineDetail(entry, order) if entry is not None else None


def release(store: StateStore, *, tenant_id: str, stream: str, record_key: str, shop_id: str) -> bool:
    """Resolve the open entry and make the record eligible for the next run; False if nothing was open.

    For an order the ledger move (``quarantined`` → ``eligible``) closes the entry in the same
    transaction; an order the ledger no longer has quarantined (pushed meanwhile) only loses its entry.
    """
    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant_id, stream, record_key, shop_id=shop_id)
        if entry is None or not entry.is_open:
            return False
        if stream == ORDERS_STREAM:
            key = OrderKey(tenant_id, shop_id, record_key)
            order = tx.ledger.get(key)
            if order is not None and order.state is OrderState.QUARANTINED:
                tx.ledger.mark_eligible(key, run_id=None)
                return True
        return tx.quarantine.resolve(tenant_id, stream, record_key, shop_id=shop_id)


def counts_by_reason(entries: Iterable[QuarantineEntry]) -> Counter[str]:
    """Open entries per reason code (for summaries and the daily digest)."""
    return Counter(entry.reason_code for entry in entries)


def describe_counts(counts: Counter[str]) -> str:
    """``3 unknown_article, 1 push_rejected`` (most frequent first) or ``none``."""
    return ", ".join(f"{count} {code}" for code, count in counts.most_common()) or "none"
