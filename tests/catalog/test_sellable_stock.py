"""The optional sellable stock: uninvoiced shop orders reduce the level sent; off, nothing changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from catalog_helpers import SimResources, change_article, connect, make_run, run_stream, shop_product

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, OrderRow, RowType
from jetshop_hogia.catalog.stock import goods_quantities, sellable_balance, stock_count
from jetshop_hogia.config.catalog import CatalogConfig, SellableStock
from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.state.order_quantities import OrderQuantityRepository
from jetshop_hogia.streams.orders.transforming import record_quantities
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
SUBTRACT = {"stock_sellable": "subtract_uninvoiced_orders"}


def _tenant(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, catalog: dict[str, str]):  # type: ignore[no-untyped-def]
    tenant = connect(monkeypatch, *sims, flow="combo", streams=["stock"], catalog=catalog)
    return tenant, SimResources(tenant, store)


def _order(store: StateStore, tenant_id: str, number: str, units: dict[str, Decimal]) -> OrderKey:
    """An order the order stream read and judged eligible (not invoiced), with its goods units."""
    key = OrderKey(tenant_id, "gamma", number)
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id="orders")
        tx.ledger.mark_eligible(key, run_id="orders")
        OrderQuantityRepository(tx.connection, store.now).record_order(tenant_id, "gamma", number, units)
    return key


def _invoice(store: StateStore, key: OrderKey) -> None:
    with store.transaction() as tx:
        claim = tx.ledger.claim_for_push(key, run_id="orders")
    assert claim is not None
    with store.transaction() as tx:
        tx.ledger.mark_pushed(claim, f"INV-{key.order_number}")


def test_the_option_is_off_by_default() -> None:
    assert CatalogConfig().stock_sellable is SellableStock.HOGIA_STOCK


def test_sellable_balance_never_goes_below_zero() -> None:
    assert stock_count(sellable_balance(Decimal("5"), Decimal("2"))) == (3, False)
    assert stock_count(sellable_balance(Decimal("5"), Decimal("7"))) == (0, True)


def test_pending_order_reduces_the_level_and_invoiced_no_longer_does(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = _tenant(monkeypatch, sims, store, SUBTRACT)
    jetshop_sim, hogia_sim = sims
    company = hogia_sim.companies[2]
    try:
        change_article(hogia_sim, company, "7300", stockBalance=Decimal("10"))
        change_article(hogia_sim, company, "7301", stockBalance=Decimal("1"))
        first = _order(store, tenant.tenant_id, "1001", {"7300": Decimal("3"), "7301": Decimal("4")})
        _order(store, tenant.tenant_id, "1002", {"7300": Decimal("2")})
        steps = run_stream("stock", make_run(tenant, resources, tmp_path, run_id="pending"))
        assert shop_product(jetshop_sim, "gamma", "7300").stock == 5  # 10 - 3 - 2
        assert shop_product(jetshop_sim, "gamma", "7301").stock == 0  # 1 - 4: never below 0
        assert steps["reconcile"]["scopes"]["gamma"]["status"] == "ok"

        _invoice(store, first)  # Hogia's balance would drop by the invoice; here it stays 10
        run_stream("stock", make_run(tenant, resources, tmp_path, run_id="invoiced", hour=11))
        assert shop_product(jetshop_sim, "gamma", "7300").stock == 8  # only order 1002 still pending
        assert shop_product(jetshop_sim, "gamma", "7301").stock == 1
    finally:
        resources.close()


def test_off_the_level_is_hogias_balance_whatever_the_orders(
    monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    tenant, resources = _tenant(monkeypatch, sims, store, {})
    jetshop_sim, hogia_sim = sims
    try:
        change_article(hogia_sim, hogia_sim.companies[2], "7300", stockBalance=Decimal("10"))
        _order(store, tenant.tenant_id, "1001", {"7300": Decimal("3")})
        run_stream("stock", make_run(tenant, resources, tmp_path, run_id="off"))
        assert shop_product(jetshop_sim, "gamma", "7300").stock == 10
    finally:
        resources.close()


def test_recording_an_order_again_replaces_its_units(store: StateStore) -> None:
    key = _order(store, "t1", "1001", {"A": Decimal("3"), "B": Decimal("1")})
    with store.transaction() as tx:
        OrderQuantityRepository(tx.connection, store.now).record_order(
            "t1", "gamma", "1001", {"A": Decimal("2")}
        )
    with store.transaction() as tx:
        assert OrderQuantityRepository(tx.connection, store.now).uninvoiced_by_article("t1") == {
            "A": Decimal("2")
        }
        tx.ledger.mark_ignored(key, run_id="orders", reason="cancelled")
    with store.transaction() as tx:
        assert OrderQuantityRepository(tx.connection, store.now).uninvoiced_by_article("t1") == {}


def _row(article: str, quantity: str, row_type: RowType = RowType.PRODUCT) -> OrderRow:
    unit = Decimal("100")
    return OrderRow(
        row_id=1, row_type=row_type, article_number=article, name=article, quantity=Decimal(quantity),
        unit_price_inc_vat=unit, unit_price_ex_vat=Decimal("80"), vat_rate=Decimal("0.25"),
        total_inc_vat=unit * Decimal(quantity),
    )  # fmt: skip


def test_the_order_stream_records_goods_units_per_article(store: StateStore) -> None:
    rows = (_row("A", "2"), _row("B", "1"), _row("A", "1.5"), _row("FRAKT", "1", RowType.FREIGHT))
    order = JetshopOrder.model_construct(order_number="1001", rows=rows)  # only the rows matter here
    assert goods_quantities(order) == {"A": Decimal("3.5"), "B": Decimal("1")}
    key = OrderKey("t1", "gamma", "1001")
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id="orders")
        record_quantities(tx, store, "t1", "gamma", [order])
    with store.transaction() as tx:
        totals = OrderQuantityRepository(tx.connection, store.now).uninvoiced_by_article("t1")
    assert totals == {"A": Decimal("3.5"), "B": Decimal("1")}
