"""One unreadable order never halts a shop: each kind of poison in a batch of good orders, days running.

End to end through the stream's four steps against both simulators; the Jetshop simulator plants the bad
``Order_Get`` answer for one order (``PUT /_admin/orders/{shop}/{id}/answer``). Two families:

- a readable answer with an unusable order (a field missing or ill-typed, another order than asked for,
  a number two orders share): quarantined on the first day under its number with the field at fault;
  the good orders of both days are invoiced;
- an answer that cannot be read at all (HTML, truncated, JSON, empty, oversized, a control character):
  retried on the following days and quarantined after ``MAX_UNREADABLE_RUNS`` runs, while every day's
  good orders are invoiced.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import DAY, SimResources, at_local, invoice_counts, make_run, place_orders, run_steps

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia.streams.intake import MAX_UNREADABLE_RUNS
from jetshop_hogia.streams.orders.windows import local_day_window
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

GOOD_PER_DAY = 3

RECORD_POISONS: dict[str, tuple[dict[str, Any], str, str | None]] = {
    # name: (planted answer, expected reason code, expected field at fault)
    "missing order number": (
        {"edits": [{"element": "OrderNumber", "remove": True}]},
        "unreadable_record",
        "OrderNumber",
    ),
    "missing row total": (
        {"edits": [{"element": "TotalIncVat", "index": 1, "remove": True}]},
        "unreadable_record",
        "TotalIncVat",
    ),
    "nil VAT": ({"edits": [{"element": "VatRate", "nil": True}]}, "unreadable_record", "VatRate"),
    "quantity abc": ({"edits": [{"element": "Quantity", "text": "abc"}]}, "unreadable_record", "Quantity"),
    "price 119,00": (
        {"edits": [{"element": "UnitPriceIncVat", "text": "119,00"}]},
        "unreadable_record",
        "UnitPriceIncVat",
    ),
    "price NaN": (
        {"edits": [{"element": "UnitPriceIncVat", "text": "NaN"}]},
        "unreadable_record",
        "UnitPriceIncVat",
    ),
    "unknown row type": (
        {"edits": [{"element": "RowType", "text": "Voucher"}]},
        "unreadable_record",
        "RowType",
    ),
    "date 2026-13-45": (
        {"edits": [{"element": "OrderDate", "text": "2026-13-45T10:00:00"}]},
        "unreadable_record",
        "OrderDate",
    ),
    "year 9999": (
        {"edits": [{"element": "OrderDate", "text": "9999-12-31T10:00:00"}]},
        "unreadable_record",
        "OrderDate",
    ),
    "quantity 1e30": (
        {"edits": [{"element": "Quantity", "text": "1000000000000000000000000000000"}]},
        "unreadable_record",
        "Quantity",
    ),
    "control character in the number": (
        {"edits": [{"element": "OrderNumber", "text": "A\u200b1"}]},
        "unreadable_record",
        "OrderNumber",
    ),
}
ANSWER_POISONS: dict[str, dict[str, Any]] = {
    "HTML": {"body": "<html><body><h1>502 Bad Gateway</h1></body></html>"},
    "truncated": {"replace": [{"find": "</soap:Envelope>", "replace": ""}]},
    "JSON": {"body": '{"error": "upstream timeout"}'},
    "empty": {"body": ""},
    "over 16 MB": {"body": "<x/>", "pad_to_bytes": 17 * 1024 * 1024},
    "control character in a name": {
        "replace": [{"find": "<RowType>Product", "replace": "<RowType>Pro\x01duct"}]
    },
}


def _day_run(
    tenant: TenantConfig, resources: SimResources, tmp_path: Path, day_offset: int, run_id: str | None = None
) -> dict[str, Any]:
    day = DAY + timedelta(days=day_offset)
    window = local_day_window(day, tenant.timezone)
    run = make_run(
        tenant,
        resources,
        tmp_path / f"d{day_offset}-{run_id}",
        window=window,
        run_id=run_id or f"d{day_offset}",
    )
    return run_steps(run)


def _place_good(jetshop_sim: JetshopSimHandle, day_offset: int) -> list[str]:
    placed = place_orders(jetshop_sim, GOOD_PER_DAY, at_local(9) + timedelta(days=day_offset))
    return [order["order_number"] for order in placed]


def _plant_bad(jetshop_sim: JetshopSimHandle, answer: dict[str, Any]) -> dict[str, Any]:
    bad = place_orders(jetshop_sim, 1, at_local(11))[0]
    jetshop_sim.admin("PUT", f"orders/alpha/{bad['order_id']}/answer", answer)
    return bad


def _quarantine_entry(store: StateStore, number: str) -> Any:
    with store.transaction() as tx:
        return tx.quarantine.get("acme", ORDERS_STREAM, number, shop_id="alpha")


def _state(store: StateStore, number: str) -> OrderState | None:
    with store.transaction() as tx:
        record = tx.ledger.get(OrderKey("acme", "alpha", number))
    return record.state if record else None


@pytest.mark.parametrize("poison", list(RECORD_POISONS))
def test_a_readable_poison_order_is_quarantined_with_its_number_and_both_days_are_invoiced(
    poison: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answer, reason, field = RECORD_POISONS[poison]
    good_1 = _place_good(jetshop_sim, 0)
    bad = _plant_bad(jetshop_sim, answer)
    with caplog.at_level(logging.INFO):
        day_1 = _day_run(tenant, resources, tmp_path, 0)
    good_2 = _place_good(jetshop_sim, 1)
    day_2 = _day_run(tenant, resources, tmp_path, 1)

    counts = invoice_counts(hogia_sim)
    assert {number: counts[number] for number in good_1 + good_2} == dict.fromkeys(good_1 + good_2, 1)
    assert counts[bad["order_number"]] == 0
    assert _state(store, bad["order_number"]) is OrderState.QUARANTINED
    entry = _quarantine_entry(store, bad["order_number"])
    assert (entry.reason_code, entry.payload["field"]) == (reason, field)
    assert entry.payload["jetshop_order_id"] == str(bad["order_id"])
    assert day_1["fetch"]["shops"]["alpha"]["quarantined"] == 1
    assert day_1["reconcile"]["status"] == day_2["reconcile"]["status"] == "ok"
    assert day_1["reconcile"]["quarantined"] == 1
    books = [r.getMessage() for r in caplog.records if "in = " in r.getMessage()]
    assert any(f"{GOOD_PER_DAY + 1} in = {GOOD_PER_DAY} written + 1 quarantined" in line for line in books)
    assert any(bad["order_number"] in line and field in line for line in books), books
    assert any(f"write: {GOOD_PER_DAY} in = {GOOD_PER_DAY} written + 0 quarantined" in line for line in books)


@pytest.mark.parametrize("poison", list(ANSWER_POISONS))
def test_an_unreadable_answer_is_retried_then_quarantined_and_every_day_is_invoiced(
    poison: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    good: list[str] = _place_good(jetshop_sim, 0)
    bad = _plant_bad(jetshop_sim, ANSWER_POISONS[poison])
    runs = []
    for day in range(MAX_UNREADABLE_RUNS):
        if day:
            good += _place_good(jetshop_sim, day)
        runs.append(_day_run(tenant, resources, tmp_path, day))
        quarantined_now = day == MAX_UNREADABLE_RUNS - 1
        with store.transaction() as tx:
            attempt = tx.intake.get("acme", ORDERS_STREAM, "alpha", str(bad["order_id"]))
        assert (attempt is None) is quarantined_now
        if not quarantined_now:
            assert attempt is not None
            assert attempt.attempts == day + 1
            assert attempt.label == bad["order_number"]
            assert _state(store, bad["order_number"]) is None  # nothing of it was readable yet

    counts = invoice_counts(hogia_sim)
    assert {number: counts[number] for number in good} == dict.fromkeys(good, 1)
    assert counts[bad["order_number"]] == 0
    assert [run["fetch"]["shops"]["alpha"]["deferred"] for run in runs] == [1] * (MAX_UNREADABLE_RUNS - 1) + [
        0
    ]
    assert runs[-1]["fetch"]["shops"]["alpha"]["quarantined"] == 1
    assert all(run["reconcile"]["status"] == "ok" for run in runs)
    entry = _quarantine_entry(store, bad["order_number"])
    assert entry.reason_code == "unreadable_answer"
    assert "Order_Get" in entry.reason_text
    assert _state(store, bad["order_number"]) is OrderState.QUARANTINED


def test_an_answer_readable_again_is_invoiced_and_its_retry_count_forgotten(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    bad = _plant_bad(jetshop_sim, ANSWER_POISONS["HTML"])
    _day_run(tenant, resources, tmp_path, 0)
    jetshop_sim.admin("DELETE", f"orders/alpha/{bad['order_id']}/answer")  # the proxy recovered
    _day_run(tenant, resources, tmp_path, 1)
    with store.transaction() as tx:
        assert tx.intake.get("acme", ORDERS_STREAM, "alpha", str(bad["order_id"])) is None
    assert invoice_counts(hogia_sim)[bad["order_number"]] == 1
    assert _state(store, bad["order_number"]) is OrderState.PUSHED


def test_an_answer_with_another_order_quarantines_the_order_asked_for(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    good = _place_good(jetshop_sim, 0)
    other = place_orders(jetshop_sim, 1, at_local(12))[0]
    asked = _plant_bad(jetshop_sim, {})
    jetshop_sim.admin(
        "PUT",
        f"orders/alpha/{asked['order_id']}/answer",
        {"edits": [{"element": "OrderId", "text": str(other["order_id"])}]},
    )
    day_1 = _day_run(tenant, resources, tmp_path, 0)
    counts = invoice_counts(hogia_sim)
    assert {n: counts[n] for n in [*good, other["order_number"]]} == dict.fromkeys(
        [*good, other["order_number"]], 1
    )
    assert counts[asked["order_number"]] == 0
    entry = _quarantine_entry(store, asked["order_number"])
    assert entry.reason_code == "id_mismatch"
    assert str(other["order_id"]) in entry.payload["value"]
    assert day_1["reconcile"]["status"] == "ok"


def test_two_orders_with_one_number_are_quarantined_together(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    good = _place_good(jetshop_sim, 0)
    first = place_orders(jetshop_sim, 1, at_local(12))[0]
    second = _plant_bad(jetshop_sim, {"edits": [{"element": "OrderNumber", "text": first["order_number"]}]})
    day_1 = _day_run(tenant, resources, tmp_path, 0)
    counts = invoice_counts(hogia_sim)
    assert {n: counts[n] for n in good} == dict.fromkeys(good, 1)
    assert counts[first["order_number"]] == 0  # neither of the two is invoiced: a human decides
    entry = _quarantine_entry(store, first["order_number"])
    assert entry.reason_code == "duplicate_key"
    assert str(first["order_id"]) in entry.reason_text
    assert str(second["order_id"]) in entry.reason_text
    assert day_1["fetch"]["shops"]["alpha"]["quarantined"] == 2
    assert _state(store, first["order_number"]) is OrderState.QUARANTINED


def test_a_padded_order_number_is_one_order_on_every_run(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    order = place_orders(jetshop_sim, 1, at_local(12))[0]
    number = order["order_number"]
    jetshop_sim.admin(
        "PUT",
        f"orders/alpha/{order['order_id']}/answer",
        {"edits": [{"element": "OrderNumber", "text": f"  {number} "}]},
    )
    first = _day_run(tenant, resources, tmp_path, 0, run_id="scheduled")
    again = _day_run(tenant, resources, tmp_path, 0, run_id="backfill")  # the same window re-run
    assert first["reconcile"]["status"] == again["reconcile"]["status"] == "ok"
    assert invoice_counts(hogia_sim)[number] == 1
    assert _state(store, number) is OrderState.PUSHED
    with store.transaction() as tx:
        assert [r.key.order_number for r in tx.ledger.orders("acme")] == [number]


def test_a_negative_quantity_is_quarantined_by_the_mapping_rule_and_the_batch_goes_on(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    good = _place_good(jetshop_sim, 0)
    bad = _plant_bad(jetshop_sim, {"edits": [{"element": "Quantity", "text": "-2"}]})
    day_1 = _day_run(tenant, resources, tmp_path, 0)
    counts = invoice_counts(hogia_sim)
    assert {n: counts[n] for n in good} == dict.fromkeys(good, 1)
    assert counts[bad["order_number"]] == 0
    assert _state(store, bad["order_number"]) is OrderState.QUARANTINED
    assert _quarantine_entry(store, bad["order_number"]).reason_code == "non_positive_quantity"
    assert day_1["reconcile"]["status"] == "ok"


def test_an_answer_readable_again_but_bad_is_quarantined_and_no_longer_retried(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
) -> None:
    bad = _plant_bad(jetshop_sim, ANSWER_POISONS["truncated"])
    _day_run(tenant, resources, tmp_path, 0)
    jetshop_sim.admin(
        "PUT", f"orders/alpha/{bad['order_id']}/answer", {"edits": [{"element": "Quantity", "text": "abc"}]}
    )
    _day_run(tenant, resources, tmp_path, 1)
    with store.transaction() as tx:
        assert tx.intake.get("acme", ORDERS_STREAM, "alpha", str(bad["order_id"])) is None
    assert _quarantine_entry(store, bad["order_number"]).reason_code == "unreadable_record"
    day_3 = _day_run(tenant, resources, tmp_path, 2)
    assert day_3["fetch"]["shops"]["alpha"]["quarantined"] == 0  # not asked for again: a human decides now
