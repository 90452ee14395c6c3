"""The order stream's use of :mod:`jetshop_hogia.streams.tenant_failures` after a write.

What this run refused is read back from the quarantine (entries this run opened, in transform or in
write), so the check sees every refusal whatever step made it. A refusal that names the tenant's set-up
(module switched off, credentials) says nothing about the orders: they are put back to ``eligible`` so
that the first run after the fix sends them (runs look back over unsent orders, see ``windows``), and
the task fails with one message. Batch-wide refusals for one reason stay quarantined (they might be the
data after all); the message says to release them once the set-up is fixed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia.streams.tenant_failures import (
    SETUP_PROBLEMS,
    Rejection,
    TenantSetupError,
    classify,
)

log = logging.getLogger(__name__)

RELEASED_CAUSES = frozenset(problem.cause for problem in SETUP_PROBLEMS.values())
"""Causes that prove the orders themselves are fine: their quarantine is undone at once."""


def run_rejections(store: StateStore, tenant_id: str, run_id: str) -> list[tuple[str, Rejection]]:
    """(shop id, rejection) for every open quarantine entry this run opened or updated."""
    with store.transaction() as tx:
        entries = tx.quarantine.open_entries(tenant_id, stream=ORDERS_STREAM)
    return [
        (entry.shop_id, Rejection(entry.record_key, entry.reason_code, entry.reason_text))
        for entry in entries
        if entry.run_id == run_id
    ]


def judged_count(transformed: Mapping[str, Any]) -> int:
    """Orders this run judged (eligible or quarantined): the batch the share of refusals is taken of."""
    shops = transformed.get("shops", {}).values()
    return sum(int(info.get("eligible", 0)) + int(info.get("quarantined", 0)) for info in shops)


def check_tenant_setup(
    store: StateStore,
    tenant_id: str,
    run_id: str,
    transformed: Mapping[str, Any],
    *,
    max_quarantined_share: float,
) -> None:
    """Raise :class:`TenantSetupError` when this run's refusals are a tenant problem (see module doc)."""
    found = run_rejections(store, tenant_id, run_id)
    batch = max(judged_count(transformed), len(found))
    failure = classify(
        [rejection for _, rejection in found],
        batch,
        max_quarantined_share=max_quarantined_share,
        what="orders",
    )
    if failure is None:
        return
    if failure.cause in RELEASED_CAUSES:
        affected = set(failure.affected)
        keys = [OrderKey(tenant_id, shop, r.record_key) for shop, r in found if r.record_key in affected]
        released = release_for_retry(store, keys)
        log.error("tenant set-up problem; %d orders put back to be sent after the fix", released)
    raise TenantSetupError(failure)


def release_for_retry(store: StateStore, keys: list[OrderKey]) -> int:
    """Move the orders a set-up problem refused back to ``eligible`` (closing their quarantine entry)."""
    released = 0
    with store.transaction() as tx:
        for key in keys:
            record = tx.ledger.get(key)
            if record is not None and record.state is OrderState.QUARANTINED:
                tx.ledger.mark_eligible(key, run_id=None)
                released += 1
    return released
