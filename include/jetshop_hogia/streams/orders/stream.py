"""The ``orders`` stream: Jetshop orders in a trigger status become Hogia customer invoices, exactly once.

Thin on purpose — the logic lives in the sibling modules of this package (pure Python, testable
without Airflow) and is imported inside the steps, so parsing a DAG file does not load pandas or the hooks.

- fetch: the window's changed orders (plus what the ledger still owes it), and the Hogia snapshot;
- transform: drafts, quarantine with reasons, cancelled orders ignored — all recorded in the ledger;
- write: claim → push (look-up after any lost answer) → record, per order; retried until settled;
- reconcile: every owed order has exactly one invoice with the predicted totals; fails otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jetshop_hogia.config import Flow
from jetshop_hogia.kernel.registry import register_stream
from jetshop_hogia.kernel.stream import Direction, Stream, StreamRun

if TYPE_CHECKING:
    from jetshop_hogia.kernel.dry_run import WouldBe


@register_stream
class Orders(Stream):
    """Web orders → Hogia invoices (every flow: orders always go from the shop to the ledger)."""

    name = "orders"
    flows = frozenset(Flow)
    direction = Direction.JETSHOP_TO_HOGIA
    description = "Jetshop orders in a trigger status → one Hogia invoice each, reconciled per window"

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams.orders import steps

        return steps.fetch(run)

    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.orders import steps

        return steps.transform(run, fetched)

    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.orders import steps

        return steps.write(run, transformed)

    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.orders import steps

        return steps.reconcile(run, written)

    def dry_write(self, run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
        from jetshop_hogia.streams.orders import dry_run

        return dry_run.dry_write(run, transformed)
