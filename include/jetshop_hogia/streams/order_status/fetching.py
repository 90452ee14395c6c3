"""Fetch: the window's Hogia invoice status events and the shop's cancellations, by change polling only.

Events are read from Hogia's event log by time window (``occurredFrom``/``occurredTo`` = the run's
window), so consecutive runs read every event exactly once and a backfill reads exactly its own past.
Cancellations are the shop orders whose status changed to the tenant's cancelled status in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel.stream import RunWindow


@dataclass(frozen=True)
class ShopCancellation:
    """An order the shop shows as cancelled, changed in the window."""

    shop_id: str
    order_id: int
    order_number: str

    def as_dict(self) -> dict[str, Any]:
        return {"shop_id": self.shop_id, "order_id": self.order_id, "order_number": self.order_number}


def fetch_events(hogia: Any, window: RunWindow) -> list[dict[str, Any]]:
    """The Hogia status events that occurred in ``[window.start, window.end)``, as JSON-ready dicts."""
    events = hogia.iter_status_events(occurred_from=window.start, occurred_to=window.end)
    return [event.model_dump(mode="json", by_alias=True) for event in events]


def fetch_cancellations(
    tenant: TenantConfig, jetshop_for: Any, window: RunWindow, cancelled_status: int
) -> list[ShopCancellation]:
    """Orders of every shop now in the cancelled status whose change falls in the window."""
    found: list[ShopCancellation] = []
    for shop in tenant.shops:
        headers = jetshop_for(shop.id).iter_changed_orders(
            window.start, window.end, status_ids=[cancelled_status]
        )
        found.extend(ShopCancellation(shop.id, h.order_id, h.order_number) for h in headers)
    return found
