"""Looking at and releasing quarantined records: the human half of "nothing fails silently".

A record is quarantined when it cannot be synced without a human (bad data, a permanent refusal). Once the
cause is fixed — the article created in Hogia, the order corrected in Jetshop — the operator *releases*
it: the quarantine entry is resolved and, for an order, the ledger makes it ``eligible`` again. A run
processes the orders of its own window, so the order is sent when its window runs again (clear that run,
or backfill the day) or when it changes in Jetshop and shows up in a later window. If the cause is not
fixed, that run's transform simply quarantines it again, with the current reason.
"""

from __future__ import annotations

from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, QuarantineEntry, StateStore


def list_open(
    store: StateStore, tenant_id: str, *, stream: str | None = None, reason: str | None = None
) -> list[QuarantineEntry]:
    """The tenant's open quarantine entries, oldest first; optionally one stream or one reason code."""
    with store.transaction() as tx:
        entries = tx.quarantine.open_entries(tenant_id, stream=stream)
    return [entry for entry in entries if reason is None or entry.reason_code == reason]


def release(store: StateStore, *, tenant_id: str, stream: str, record_key: str, shop_id: str) -> bool:
    """Resolve one open quarantine entry (and make a quarantined order eligible again), atomically.

    False when there is no open entry for that record (already released, or never quarantined), so a
    double click or two operators releasing the same record is harmless. For an order whose ledger row is
    no longer ``quarantined`` (a later run moved it on) only the entry is resolved: the ledger's state is
    the newer truth and is left alone.
    """
    with store.transaction() as tx:
        entry = tx.quarantine.get(tenant_id, stream, record_key, shop_id=shop_id)
        if entry is None or not entry.is_open:
            return False
        if stream == ORDERS_STREAM:
            key = OrderKey(tenant_id, shop_id, record_key)
            order = tx.ledger.get(key)
            if order is not None and order.state is OrderState.QUARANTINED:
                tx.ledger.mark_eligible(key, run_id=None)  # resolves the entry in the same transaction
                return True
        return tx.quarantine.resolve(tenant_id, stream, record_key, shop_id=shop_id)
