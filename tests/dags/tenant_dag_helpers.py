"""Test doubles for the DAG tests: streams that move a file batch without any API, and tenant files."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jetshop_hogia.config import Feature, Flow
from jetshop_hogia.kernel import Direction, Stream, StreamRun

BATCH_SIZE = 300
"""Big enough that the batch as JSON (~20 kB) would not fit the XCom limit: it must travel as a file."""


class FakeOrders(Stream):
    """Jetshop → Hogia double: fetch writes a batch file, each later step reads the previous file."""

    name = "fake_orders"
    flows = frozenset(Flow)
    direction = Direction.JETSHOP_TO_HOGIA
    description = "test double for the order stream"

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        rows = [{"order_id": i, "total": Decimal("100.25") + i, "text": "x" * 40} for i in range(BATCH_SIZE)]
        payload = {"window": run.window.as_dict(), "tenant": run.tenant.tenant_id, "rows": rows}
        return {"path": run.write_json(f"{self.name}/fetched.json", payload), "count": len(rows)}

    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        data = run.read_json(fetched["path"])
        drafts = [{"order_id": row["order_id"], "total": row["total"]} for row in data["rows"]]
        return {"path": run.write_json(f"{self.name}/transformed.json", drafts), "count": len(drafts)}

    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        drafts = run.read_json(transformed["path"])
        receipt = [{"order_id": d["order_id"], "invoice": f"INV-{d['order_id']}"} for d in drafts]
        return {"path": run.write_json(f"{self.name}/written.json", receipt), "written": len(receipt)}

    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        receipt = run.read_json(written["path"])
        return {"matched": len(receipt), "missing": 0, "window": run.window.as_dict()}


class FakeStock(FakeOrders):
    """Hogia → Jetshop double that must not interleave with its own previous run."""

    name = "fake_stock"
    flows = frozenset({Flow.ERP_LED, Flow.COMBO})
    direction = Direction.HOGIA_TO_JETSHOP
    requires = frozenset({Feature.STOCK})
    serial_runs = True
    description = "test double for stock levels"


def tenant_yaml(tenant_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid erp_led tenant on plan 400 with both fake streams."""
    data: dict[str, Any] = {
        "tenant_id": tenant_id,
        "name": f"{tenant_id.title()} AB",
        "flow": "erp_led",
        "plan": 400,
        "shops": [
            {
                "id": tenant_id,
                "connection_id": f"jetshop_{tenant_id}",
                "channels": [
                    {
                        "channel_id": 1,
                        "currency": "SEK",
                        "price_list": "23b8c1e9-3924-46de-beb1-3b9046685257",
                    },
                    {"channel_id": 2, "currency": "NOK"},
                ],
            }
        ],
        "hogia": {"connection_id": f"hogia_{tenant_id}"},
        "order_trigger_statuses": [2, 3],
        "streams": ["fake_orders", "fake_stock"],
    }
    data.update(copy.deepcopy(overrides))
    return data


def write_tenant_file(folder: Path, data: dict[str, Any]) -> Path:
    """``<folder>/<tenant_id>.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['tenant_id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
