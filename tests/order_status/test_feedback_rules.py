"""The pure rules of order status feedback: the status map, the quiet rule, the stream's requirements,
capture at most once per order in the ledger, and the expiring-authorisation check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import connect_tenant_data
from status_helpers import FEEDBACK

from jetshop_hogia.config import TenantConfig, check_streams
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.kernel.registry import REGISTRY
from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.state.order_status import FeedbackAction, FeedbackState
from jetshop_hogia.streams.order_status import reconciling
from jetshop_hogia.streams.order_status.quiet import customer_effects
from jetshop_hogia.streams.order_status.status_map import cancelled_status_id, jetshop_reaction

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _tenant(**overrides: Any) -> TenantConfig:
    data = connect_tenant_data("acme") | {"flow": "erp_led", "plan": 200, "order_status_feedback": FEEDBACK}
    return TenantConfig.model_validate(data | overrides)


def test_the_status_map_follows_the_tenant_table() -> None:
    tenant = _tenant()
    delivered = jetshop_reaction(tenant, "delivered", "PKG")
    assert delivered is not None
    assert (delivered.status_id, delivered.send_mail, delivered.tracking_number, delivered.capture) == (
        3,
        True,
        "PKG",
        True,
    )
    paid = jetshop_reaction(tenant, "paid", "PKG")
    assert paid is not None
    assert (paid.status_id, paid.send_mail, paid.tracking_number, paid.capture) == (5, False, None, False)
    only_delivered = {"enabled": True, "statuses": {"delivered": FEEDBACK["statuses"]["delivered"]}}
    assert jetshop_reaction(_tenant(order_status_feedback=only_delivered), "paid", None) is None
    assert jetshop_reaction(tenant, "something_else", None) is None
    assert cancelled_status_id(tenant) == 6


@pytest.mark.parametrize(
    ("end_ago", "run_id", "params", "mail", "historical"),
    [
        (timedelta(minutes=2), "scheduled__x", {}, True, False),
        (timedelta(days=3), "scheduled__x", {}, False, True),  # catch-up of a past window
        (timedelta(minutes=2), "backfill__x", {}, False, True),
        (timedelta(days=3), "backfill__x", {"notify_customers": True}, True, True),
        (timedelta(minutes=2), "scheduled__x", {"notify_customers": "false"}, False, False),
    ],
)
def test_the_quiet_rule(
    end_ago: timedelta, run_id: str, params: dict[str, Any], mail: bool, historical: bool
) -> None:
    window = RunWindow(NOW - end_ago - timedelta(minutes=5), NOW - end_ago)
    effects = customer_effects(window, run_id, params, now=NOW)
    assert (effects.mail, effects.capture, effects.historical) == (mail, mail, historical)


def test_the_quiet_rule_refuses_a_garbled_parameter() -> None:
    window = RunWindow(NOW - timedelta(minutes=5), NOW)
    with pytest.raises(ValueError, match="notify_customers"):
        customer_effects(window, "manual__x", {"notify_customers": "maybe"}, now=NOW)


def test_the_stream_needs_plan_200_an_erp_flow_and_the_feedback_block() -> None:
    stream = REGISTRY.get("order_status")
    assert stream.config_problems(_tenant()) == []
    assert stream.config_problems(_tenant(order_status_feedback=None)) != []
    low = _tenant(plan=100, order_status_feedback=None, streams=["orders", "order_status"])
    problems = check_streams(low, REGISTRY.catalog())
    assert any("order_status" in str(problem) for problem in problems)


def _action(key: str, capture: bool) -> FeedbackAction:
    return FeedbackAction(key, "alpha", "A1", "delivered", 1, "inv", 3, True, capture)


def test_capture_is_asked_at_most_once_per_order(tmp_path: Path) -> None:
    with StateStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.migrate()
        with store.transaction() as tx:
            assert tx.order_status.capture_taken("acme", "alpha", "A1") is False
            fresh, record = tx.order_status.claim("acme", _action("event:1", True), run_id="r1")
            assert fresh
            assert record.state is FeedbackState.CLAIMED
            assert tx.order_status.capture_taken("acme", "alpha", "A1") is True
            again, same = tx.order_status.claim("acme", _action("event:1", True), run_id="r2")
            assert not again
            assert same.attempts == 2
            tx.order_status.settle("acme", "event:1", FeedbackState.DONE, capture_result="Captured")
            assert tx.order_status.get("acme", "event:1").settled  # type: ignore[union-attr]


class _Snapshots:
    def __init__(self, payment_status: str) -> None:
        self.payment_status = payment_status

    def order_status_snapshot(self, order_id: int) -> Any:
        from jetshop_hogia_provider.hooks.jetshop_order_status import OrderStatusSnapshot

        return OrderStatusSnapshot(order_id, f"A{order_id}", 2, "Klarna", self.payment_status, None)


def test_an_authorisation_close_to_expiry_is_flagged(tmp_path: Path) -> None:
    clock = {"now": NOW - timedelta(days=26)}
    with StateStore(f"sqlite:///{tmp_path / 's.db'}", clock=lambda: clock["now"]) as store:
        store.migrate()
        _pushed(store, OrderKey("acme", "alpha", "A1"), 1)  # 26 days old: 2 days left, inside the 3-day band
        clock["now"] = NOW - timedelta(days=2)
        _pushed(store, OrderKey("acme", "alpha", "A2"), 2)  # young: its authorisation has 26 days left
        clock["now"] = NOW
        findings = reconciling.Findings()
        reconciling.check_authorisations(
            _tenant(), lambda shop: _Snapshots("Authorized"), store, findings, NOW
        )
        assert [(f["code"], f["order_number"]) for f in findings.needs_person] == [
            ("authorization_expiring", "A1")
        ]
        captured = reconciling.Findings()
        reconciling.check_authorisations(_tenant(), lambda shop: _Snapshots("Captured"), store, captured, NOW)
        assert captured.needs_person == []


def _pushed(store: StateStore, key: OrderKey, order_id: int) -> None:
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id="r", payload_hash="h", jetshop_order_id=order_id)
    with store.transaction() as tx:
        tx.ledger.mark_eligible(key, run_id="r")
    with store.transaction() as tx:
        claim = tx.ledger.claim_for_push(key, run_id="r")
    assert claim is not None
    with store.transaction() as tx:
        tx.ledger.mark_pushed(claim, "inv-" + key.order_number)
