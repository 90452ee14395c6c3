"""``redrive_quarantine`` under ``dag.test()``: after the missing article is created in Hogia, the order
quarantined for it is invoiced exactly once; an order that is still broken (now for another reason) stays
quarantined with that new reason; a second re-drive changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from manual_dag_helpers import load_dag, task_states, xcoms

from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

TENANT = "alpha_shop_led"
MISSING_ARTICLE = "7100-redrive"


def _place(jetshop_sim: JetshopSimHandle, count: int) -> list[dict[str, Any]]:
    placed_at = pendulum.datetime(2026, 11, 24, 11, tz="Europe/Stockholm").isoformat()
    body = {"shop_id": "alpha", "count": count, "status_id": 2, "placed_at": placed_at}
    orders: list[dict[str, Any]] = jetshop_sim.admin("POST", "orders", body)["orders"]
    return orders


def _edit_first_row(jetshop_sim: JetshopSimHandle, order_id: int, **changes: Any) -> str:
    """Change the order's first row in the shop; returns the row's article number before the change."""
    with jetshop_sim.simulator.lock:
        orders = jetshop_sim.simulator.state.shops["alpha"].orders
        order = orders[order_id]
        row = order.rows[0].model_copy(update=changes)
        orders[order_id] = order.model_copy(update={"rows": (row, *order.rows[1:])})
        return str(order.rows[0].article_number)


def _invoices(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    return {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()}


def _run_day() -> Any:
    return load_dag("sync_alpha_shop_led").test(
        logical_date=pendulum.datetime(2026, 11, 25, tz="Europe/Stockholm"),
        run_conf={"window_start": "2026-11-24", "window_end": "2026-11-25"},
    )


def _open_reasons(state_url: str) -> dict[str, str]:
    with StateStore(state_url) as store, store.transaction() as tx:
        entries = tx.quarantine.open_entries(TENANT, stream=ORDERS_STREAM)
    return {entry.record_key: entry.reason_code for entry in entries}


def test_redrive_invoices_the_fixed_order_once_and_keeps_the_broken_one_with_its_new_reason(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    fixed, broken, *fine = _place(jetshop_sim, 5)  # 2 of 5 broken: below the tenant's set-up alarm
    originals = {  # both name an article Hogia does not have
        order["order_number"]: _edit_first_row(jetshop_sim, order["order_id"], article_number=MISSING_ARTICLE)
        for order in (fixed, broken)
    }
    day = _run_day()
    quarantined_by_the_run = _open_reasons(state_url)
    # The ops fix: the article is created in Hogia. The second order meanwhile breaks differently in
    # the shop (its row is set back to a known article, but with quantity zero).
    article = {"number": MISSING_ARTICLE, "name": "Redrive", "vatCode": "MP1", "prices": [{"price": 100.0}]}
    assert hogia_sim.api("POST", "articles", json=article).status_code == 201
    known_article = originals[broken["order_number"]]
    _edit_first_row(jetshop_sim, broken["order_id"], article_number=known_article, quantity=Decimal("0"))

    dag = load_dag("redrive_quarantine")
    first = dag.test(run_conf={"tenant": TENANT, "reason": "unknown_article"})
    invoices_after_first = _invoices(hogia_sim)
    second = dag.test(run_conf={"tenant": TENANT, "order_numbers": [fixed["order_number"]]})

    assert day.state == "success", task_states(day)
    assert quarantined_by_the_run == {
        fixed["order_number"]: "unknown_article",
        broken["order_number"]: "unknown_article",
    }
    assert first.state == "success", task_states(first)
    fine_invoices = dict.fromkeys((order["order_number"] for order in fine), 1)
    assert invoices_after_first == {fixed["order_number"]: 1, **fine_invoices}
    result = xcoms("redrive_quarantine", first.run_id)["redrive"]
    assert result["selected"] == 2
    assert result["counts"] == {"invoiced": 1, "quarantined": 1}
    reasons = _open_reasons(state_url)
    assert list(reasons) == [broken["order_number"]]
    assert reasons[broken["order_number"]] != "unknown_article"  # its new reason
    lines = {line["order_number"]: line for line in result["orders"]}
    assert lines[broken["order_number"]]["reason"] == reasons[broken["order_number"]]
    assert second.state == "success", task_states(second)
    assert xcoms("redrive_quarantine", second.run_id)["redrive"]["selected"] == 0  # nothing open for it
    assert _invoices(hogia_sim) == {fixed["order_number"]: 1, **fine_invoices}
    with StateStore(state_url) as store, store.transaction() as tx:
        record = tx.ledger.require(OrderKey(TENANT, "alpha", fixed["order_number"]))
    assert record.state is OrderState.PUSHED


PRODUCT = "9950-redrive"


def _plant_product(jetshop_sim: JetshopSimHandle, vat: Decimal) -> None:
    """A new simple product in shop alpha (a copy of a seeded one), at ``vat``."""
    with jetshop_sim.simulator.lock:
        shop = jetshop_sim.simulator.state.shops["alpha"]
        model = next(p for p in shop.products.values() if not p.has_attributes)
        texts = {
            culture: text.model_copy(update={"name": "Kruka redrive"})
            for culture, text in model.texts.items()
        }
        shop.products[PRODUCT] = model.model_copy(
            update={"article_number": PRODUCT, "product_id": shop.next_product_id, "vat": vat, "texts": texts}
        )
        shop.next_product_id += 1


def _fix_product_quietly(jetshop_sim: JetshopSimHandle) -> None:
    """25 % VAT, with a change stamp no scheduled run's change list reaches."""
    with jetshop_sim.simulator.lock:
        products = jetshop_sim.simulator.state.shops["alpha"].products
        stamp = jetshop_sim.simulator.now() - timedelta(days=30)
        products[PRODUCT] = products[PRODUCT].model_copy(update={"vat": Decimal("0.25"), "modified": stamp})


def _hogia_articles(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    """Article number → row version (any write changes it)."""
    with hogia_sim.simulator.state.lock:
        company = hogia_sim.simulator.state.company(hogia_sim.company.organisation_id)
        assert company is not None
        return {article.number: article.row_version for article in company.articles.values()}


def _trigger(conf: dict[str, Any]) -> Any:
    """One run of a freshly loaded DAG (``dag.test`` keeps an earlier run's conf in the DAG's params)."""
    return load_dag("redrive_quarantine").test(run_conf=conf)


def _open_catalog(state_url: str) -> dict[str, str]:
    with StateStore(state_url) as store, store.transaction() as tx:
        entries = tx.quarantine.open_entries(TENANT, stream="products_to_hogia")
    return {entry.record_key: entry.reason_code for entry in entries}


def test_redrive_sends_the_fixed_order_and_the_fixed_product_in_one_run_and_fails_red_on_an_outage(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    broken, *_fine = _place(jetshop_sim, 4)
    _edit_first_row(jetshop_sim, broken["order_id"], article_number=MISSING_ARTICLE)
    _plant_product(jetshop_sim, Decimal("0.07"))  # no Hogia VAT code has 7 %
    day = _run_day()
    quarantined_products = _open_catalog(state_url)
    article = {"number": MISSING_ARTICLE, "name": "Redrive", "vatCode": "MP1", "prices": [{"price": 100.0}]}
    assert hogia_sim.api("POST", "articles", json=article).status_code == 201
    _fix_product_quietly(jetshop_sim)

    hogia_sim.admin("PUT", "faults", {"error_503_share": 1.0, "operations": ["articles.create"]})
    try:
        outage = _trigger({"tenant": TENANT, "item_keys": [PRODUCT]})
    finally:
        hogia_sim.admin("PUT", "faults", {})
    before = _hogia_articles(hogia_sim)
    both = _trigger({"tenant": TENANT})
    after = _hogia_articles(hogia_sim)
    again = _trigger({"tenant": TENANT, "item_keys": [PRODUCT]})

    assert day.state == "success", task_states(day)
    assert quarantined_products == {PRODUCT: "unknown_vat_rate"}
    assert outage.state == "failed"
    assert task_states(outage)["redrive"] == "failed"
    assert both.state == "success", task_states(both)
    result = xcoms("redrive_quarantine", both.run_id)["redrive"]
    assert result["counts"] == {"invoiced": 1}
    assert result["catalog"]["counts"] == {"sent": 1}
    assert result["catalog"]["items"] == [
        {"stream": "products_to_hogia", "scope": "*", "key": PRODUCT, "outcome": "sent", "reason": None}
    ]
    assert {number for number, version in after.items() if before.get(number) != version} == {PRODUCT}
    assert _invoices(hogia_sim)[broken["order_number"]] == 1
    assert _open_catalog(state_url) == {}
    assert again.state == "success", task_states(again)
    again_result = xcoms("redrive_quarantine", again.run_id)["redrive"]
    assert (again_result["selected"], again_result["catalog"]["selected"]) == (0, 0)  # orders not asked for
    assert _hogia_articles(hogia_sim) == after


def test_an_invoice_outage_fails_the_redrive_after_the_fixed_product_was_still_sent(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    broken, *_fine = _place(jetshop_sim, 2)
    _edit_first_row(jetshop_sim, broken["order_id"], article_number=MISSING_ARTICLE)
    _plant_product(jetshop_sim, Decimal("0.07"))  # quarantined: no Hogia VAT code has 7 %
    day = _run_day()
    article = {"number": MISSING_ARTICLE, "name": "Redrive", "vatCode": "MP1", "prices": [{"price": 100.0}]}
    assert hogia_sim.api("POST", "articles", json=article).status_code == 201
    _fix_product_quietly(jetshop_sim)

    hogia_sim.admin("PUT", "faults", {"error_503_share": 1.0, "operations": ["customerinvoices.create"]})
    try:
        outage = _trigger({"tenant": TENANT})
        replay_in_outage = _replay(broken["order_number"])
    finally:
        hogia_sim.admin("PUT", "faults", {})
    sent_during_outage = PRODUCT in _hogia_articles(hogia_sim)
    invoices_during_outage = _invoices(hogia_sim).get(broken["order_number"], 0)
    replayed = _replay(broken["order_number"])

    assert day.state == "success", task_states(day)
    assert outage.state == "failed"  # red: the order could not be invoiced …
    assert task_states(outage)["redrive"] == "failed"
    assert sent_during_outage  # … but the fixed product did not wait for Hogia's invoices
    assert invoices_during_outage == 0
    assert _open_reasons(state_url) == {}  # out of quarantine, eligible: the error message says so
    assert _open_catalog(state_url) == {}
    assert replay_in_outage.state == "failed"  # a replay that could not write is red too (and retried)
    assert replayed.state == "success", task_states(replayed)
    assert xcoms("replay_order", replayed.run_id)["replay"]["outcome"] == "invoiced"
    assert _invoices(hogia_sim)[broken["order_number"]] == 1


def _replay(order_number: str) -> Any:
    conf = {"tenant": TENANT, "shop": "alpha", "order_number": order_number}
    return load_dag("replay_order").test(run_conf=conf)
