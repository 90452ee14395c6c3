"""The ``order_status`` stream: Hogia invoice events move Jetshop orders (flows erp_led and combo).

Thin on purpose — the logic lives in the sibling modules (pure Python) and is imported inside the steps,
so parsing a DAG file does not load the hooks.

- fetch: the window's Hogia status events (event log, by time window) and the shop's cancellations;
- transform: the tenant's status table per event, order resolved through the ledger (unknown → quarantine),
  quiet historical runs (no e-mail, no capture unless ``notify_customers``);
- write: exactly once per (order, event) through the feedback ledger; cancel or credit cancelled orders;
- reconcile: shop vs Hogia, paid-not-captured, expiring authorisations, cancellations without credit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jetshop_hogia.config import Feature, Flow, TenantConfig
from jetshop_hogia.kernel.registry import register_stream
from jetshop_hogia.kernel.stream import Direction, Stream, StreamRun

if TYPE_CHECKING:
    from jetshop_hogia.kernel.dry_run import WouldBe


@register_stream
class OrderStatus(Stream):
    """Order status Hogia → Jetshop, with customer e-mail, tracking number and payment capture."""

    name = "order_status"
    flows = frozenset({Flow.ERP_LED, Flow.COMBO})
    direction = Direction.HOGIA_TO_JETSHOP
    requires = frozenset({Feature.ORDER_STATUS})
    description = "Hogia invoice events → Jetshop order status (mail, tracking, capture) exactly once"

    @classmethod
    def config_problems(cls, tenant: TenantConfig) -> list[str]:
        """The stream needs an enabled ``order_status_feedback`` block to know what to send."""
        feedback = tenant.order_status_feedback
        if feedback is None or not feedback.enabled:
            return ["order_status is listed but order_status_feedback is missing or disabled"]
        return []

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        from jetshop_hogia.streams.order_status import steps

        return steps.fetch(run)

    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.order_status import steps

        return steps.transform(run, fetched)

    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.order_status import steps

        return steps.write(run, transformed)

    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams.order_status import steps

        return steps.reconcile(run, written)

    def dry_write(self, run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
        from jetshop_hogia.streams.order_status import dry_run

        return dry_run.dry_write(run, transformed)
