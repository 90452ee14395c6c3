"""The order_status stream's dry write: the status changes and invoice corrections a real write would make.

Reads the shop's current status of each order (read only) for the diff; sends no status, no mail, no
capture, and cancels or credits no invoice. Actions are named by their kind (``paid``, ``delivered``,
``shop_cancel`` …) with the order number as the id.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jetshop_hogia.kernel.dry_run import WouldBe
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams.order_status.planning import PlannedAction


def dry_write(run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
    """One :class:`WouldBe` per planned action; status actions carry the shop's status now → after."""
    planned = run.read_json(transformed["path"])
    writes: list[WouldBe] = []
    for item in planned["events"] + planned["cancellations"]:
        action = PlannedAction(**item)
        diff: dict[str, Any] = {}
        if action.status_id is not None:
            snapshot = run.resources.jetshop(action.shop_id).order_status_snapshot(action.jetshop_order_id)
            now = snapshot.status_id if snapshot is not None else None
            if now != action.status_id:
                diff["status_id"] = {"target": now, "would_be": action.status_id}
        if action.invoice_id is not None and action.kind == "shop_cancel":
            diff["invoice"] = {"target": action.invoice_id, "would_be": "cancelled or credited"}
        payload = dataclasses.asdict(action)
        writes.append(WouldBe(action.kind, action.order_number, payload, diff, scope=action.shop_id))
    return writes
