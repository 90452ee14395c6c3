"""The order stream's reconcile details carry the gross amounts the Sync status chart reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from jetshop_hogia.kernel.stream import RunWindow
from jetshop_hogia.state import ReconciliationCounts, ReconciliationStatus, StateStore
from jetshop_hogia.status import recent_days
from jetshop_hogia.streams.orders.reconciling import OrderCheck, Reconciliation, Verdict
from jetshop_hogia.streams.orders.report import details

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_details_amounts_round_trip_into_the_day_figures(status_store: StateStore) -> None:
    window = RunWindow(START, START + timedelta(hours=1))
    result = Reconciliation(window)
    result.checks += [
        OrderCheck("s", "1", Verdict.MATCHED, (1,), gross=("SEK", Decimal("125.00"), Decimal("125.00"))),
        OrderCheck(
            "s", "2", Verdict.MISMATCHED, (2,), ("gross",), gross=("SEK", Decimal("80.00"), Decimal("79"))
        ),
        OrderCheck("s", "3", Verdict.MATCHED, (3,), gross=("NOK", Decimal("10.50"), Decimal("10.50"))),
        OrderCheck("s", "4", Verdict.QUARANTINED, note="unknown_article"),
    ]
    stored = details(result, "window")
    assert stored["amounts"] == {
        "SEK": {"expected": "205.00", "invoiced": "204.00"},
        "NOK": {"expected": "10.50", "invoiced": "10.50"},
    }
    with status_store.transaction() as tx:
        tx.reconciliation.record(
            "amounts",
            "orders",
            window.start,
            window.end,
            ReconciliationCounts(expected=3, matched=2, mismatched=1, quarantined=1),
            status=ReconciliationStatus.OK,
            details=stored,
        )
    (day,) = recent_days(status_store, "amounts", "Europe/Stockholm", START + timedelta(hours=2), days=1)
    assert day.amounts["SEK"].drift == Decimal("-1.00")
    assert day.amounts["NOK"].drift == Decimal(0)
    assert day.invoiced == 3
