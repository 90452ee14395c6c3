"""JetshopHook's typed methods against the running Jetshop simulator (every method, real answers).

Expected values come from the simulator's state (``jetshop_sim.simulator.state``) and from
``jetshop_hogia.vat_pricing``, never from constants. Shop ``alpha`` has one culture and one channel,
``beta`` two of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sim_connections import FAST_RETRY, jetshop_connection

from jetshop_hogia import vat_pricing
from jetshop_hogia.apimodel.jetshop_orders import CaptureResult, OrderStatusUpdate
from jetshop_hogia.apimodel.jetshop_products import (
    CategoryState,
    PriceListRow,
    ProductCategory,
    ProductData,
    StockData,
)
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.jetshop_results import (
    JetshopItemsFailedError,
    item_failures,
    raise_for_failures,
)
from jetshop_hogia_simulators.jetshop.state import ShopState
from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle


def shop_state(sim: JetshopSimHandle, shop: str = "alpha") -> ShopState:
    return sim.simulator.state.shops[shop]


@pytest.fixture
def alpha(jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[JetshopHook]:
    with JetshopHook(jetshop_connection(monkeypatch, jetshop_sim, "js_alpha"), retry=FAST_RETRY) as hook:
        yield hook


@pytest.fixture
def beta(jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[JetshopHook]:
    conn_id = jetshop_connection(monkeypatch, jetshop_sim, "js_beta", shop="beta")
    with JetshopHook(conn_id, retry=FAST_RETRY) as hook:
        yield hook


def test_test_connection_and_order_statuses(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    ok, message = alpha.test_connection()
    assert ok, message
    statuses = alpha.order_statuses()
    assert {s.status_id: s.name for s in statuses} == shop_state(jetshop_sim).statuses
    assert str(len(statuses)) in message


def test_test_connection_with_a_wrong_password_fails_without_showing_it(
    jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn_id = jetshop_connection(monkeypatch, jetshop_sim, "js_wrong", password="wrong-pass-1234")
    ok, message = JetshopHook(conn_id, retry=FAST_RETRY).test_connection()
    assert not ok
    assert "401" in message
    assert "wrong-pass-1234" not in message


def test_product_get_reads_the_product_as_stored(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    shop = shop_state(jetshop_sim)
    stored = next(p for p in shop.products.values() if p.categories)
    entry = stored.prices[shop.default_price_list]
    product = alpha.product_get(stored.article_number, "sv-SE")
    assert product is not None
    assert (product.product_id, product.price, product.discounted_price) == (
        stored.product_id,
        entry.price,
        entry.discounted_price,
    )
    assert product.campaign_price == (entry.discounted_price if entry.discounted_price >= 0 else None)
    assert product.vat == stored.vat
    assert product.name == stored.texts["sv-SE"].name
    assert product.stock is not None
    assert product.stock.new_stock_count == stored.stock
    assert {c.category_id for c in product.categories} == set(stored.categories)
    assert product.modified_date == stored.modified
    assert product.modified_date is not None
    assert product.modified_date.tzinfo is not None
    assert alpha.product_get(stored.article_number) == product, "defaults to the first culture"
    assert alpha.product_get("no-such-article") is None


def test_product_add_update_creates_per_culture_and_surfaces_every_item(
    beta: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    template = ProductData(
        article_number="NEW-7",
        name="Ny vas",
        vat=Decimal("0.25"),
        price=Decimal("80"),
        stock=StockData(new_stock_count=9),
        categories=(ProductCategory(category_id=150),),
    )
    items = [*template.for_cultures(beta.cultures), template.model_copy(update={"culture": "fi-FI"})]
    results = beta.product_add_update(items, batch_size=2)
    assert [r.status for r in results[:2]] == ["SuccessNew", "SuccessUpdate"]
    assert [r.culture for r in results] == ["sv-SE", "nb-NO", "fi-FI"]
    assert results[0].created
    assert results[0].ok
    assert results[1].ok
    assert not results[2].ok, "a culture the shop does not have is not written"
    failures = item_failures(results)
    assert [(f.index, f.key) for f in failures] == [(2, "NEW-7 [fi-FI]")]
    with pytest.raises(JetshopItemsFailedError, match=r"1 of 3 items failed: NEW-7 \[fi-FI\]"):
        raise_for_failures("Product_AddUpdate", results)
    stored = shop_state(jetshop_sim, "beta").products["NEW-7"]
    assert stored.stock == 9
    assert stored.texts["nb-NO"].name == "Ny vas"
    assert 150 in stored.categories


def test_product_add_update_sends_only_the_fields_that_are_set(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    stored = next(iter(shop_state(jetshop_sim).products.values()))
    name, price = stored.texts["sv-SE"].name, stored.prices[shop_state(jetshop_sim).default_price_list].price
    update = ProductData(
        article_number=stored.article_number, culture="sv-SE", stock=StockData(new_stock_count=3)
    )
    raise_for_failures("Product_AddUpdate", alpha.product_add_update([update]))
    after = shop_state(jetshop_sim).products[stored.article_number]
    assert after.stock == 3
    assert after.texts["sv-SE"].name == name
    assert after.prices[shop_state(jetshop_sim).default_price_list].price == price


def test_category_unlink_and_delivery_date_round_trip(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    stored = next(p for p in shop_state(jetshop_sim).products.values() if len(p.categories) > 1)
    link = next(iter(stored.categories))
    when = datetime(2026, 12, 3, tzinfo=UTC)
    unlink = ProductData(
        article_number=stored.article_number,
        culture="sv-SE",
        categories=(ProductCategory(category_id=link, state=CategoryState.DELETE_CONNECTION),),
        stock=StockData(new_stock_count=0, delivery_date=when),
    )
    assert alpha.product_add_update([unlink])[0].ok
    product = alpha.product_get(stored.article_number)
    assert product is not None
    assert link not in {c.category_id for c in product.categories}
    assert product.stock is not None
    assert product.stock.delivery_date == when
    again = alpha.product_add_update(
        [unlink.model_copy(update={"stock": StockData(clear_delivery_date=True)})]
    )
    assert again[0].ok, "unlinking a link that is gone is not a failure"
    assert shop_state(jetshop_sim).products[stored.article_number].delivery_date is None


def test_product_delete_reports_success_then_not_found(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    article = next(iter(shop_state(jetshop_sim).products))
    first = alpha.product_delete(article)
    assert first.deleted
    assert first.ok
    assert article not in shop_state(jetshop_sim).products
    second = alpha.product_delete(article)
    assert (second.deleted, second.ok, second.result) == (False, True, "NotFound")


def test_price_list_update_inc_vat_rounds_once_and_surfaces_refused_rows(
    beta: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    shop = shop_state(jetshop_sim, "beta")
    product = next(p for p in shop.products.values() if p.vat == Decimal("0.25"))
    sek, nok = (channel.price_list_id for channel in shop.channels)
    rows = [
        PriceListRow.from_ex_vat(
            product.article_number,
            sek.upper(),  # GUIDs compare case-insensitively (FACT)
            price_ex_vat=Decimal("79.60"),
            vat_rate=product.vat,
            campaign_ex_vat=Decimal("63.70"),
        ),
        PriceListRow.from_ex_vat(
            product.article_number, nok, price_ex_vat=Decimal("95"), vat_rate=product.vat
        ),
        PriceListRow.from_ex_vat("no-such-article", sek, price_ex_vat=Decimal("10"), vat_rate=product.vat),
    ]
    assert (rows[0].price_inc_vat, rows[0].discounted_price_inc_vat) == (100, 80)  # 99.50 → 100, 79.625 → 80
    results = beta.price_list_update_inc_vat(rows)
    assert [r.ok for r in results] == [True, True, False]
    assert results[0].price_list_id == sek.upper(), "echoed as sent"
    assert "no-such-article" in (results[2].message or "")
    stored = shop.products[product.article_number].prices
    assert stored[sek].price == vat_pricing.stored_ex_vat(100, product.vat)
    assert stored[sek].discounted_price == vat_pricing.stored_ex_vat(80, product.vat)
    assert stored[nok].price == vat_pricing.stored_ex_vat(rows[1].price_inc_vat or 0, product.vat)
    assert stored[nok].discounted_price == vat_pricing.stored_ex_vat(-1, product.vat)  # the live quirk
    read_back = beta.product_get(product.article_number, "sv-SE")
    assert read_back is not None
    assert read_back.campaign_price == stored[sek].discounted_price
    with pytest.raises(JetshopItemsFailedError) as caught:
        raise_for_failures("PriceList_UpdateArticleIncVAT", results)
    assert [f.index for f in caught.value.failures] == [2]


def _expected_headers(shop: ShopState, start: datetime, end: datetime, **filters: set[int]) -> list[int]:
    statuses, channels = filters.get("statuses", set()), filters.get("channels", set())
    return [
        o.order_id
        for o in sorted(shop.orders.values(), key=lambda o: (o.changed_date, o.order_id))
        if start <= o.changed_date < end
        and (not statuses or o.status_id in statuses)
        and (not channels or o.channel_id in channels)
    ]


def test_changed_orders_are_paged_by_keyset_without_loss(
    beta: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    same_moment = TEST_START - timedelta(hours=1)
    placed = jetshop_sim.admin(
        "POST", "orders", {"shop_id": "beta", "count": 7, "placed_at": same_moment.isoformat()}
    )
    assert len(placed["orders"]) == 7
    shop = shop_state(jetshop_sim, "beta")
    start, end = TEST_START - timedelta(days=90), TEST_START
    headers = list(beta.iter_changed_orders(start, end, page_size=3))
    assert [h.order_id for h in headers] == _expected_headers(shop, start, end)
    assert sum(h.changed_date == same_moment for h in headers) == 7, (
        "a page boundary fell inside one timestamp"
    )
    assert all(h.changed_date.tzinfo is not None for h in headers)
    assert [h.order_id for h in beta.iter_changed_orders(start, end, page_size=500)] == [
        h.order_id for h in headers
    ]
    filtered = list(beta.iter_changed_orders(start, end, status_ids=[1], channel_ids=[2], page_size=2))
    assert [h.order_id for h in filtered] == _expected_headers(shop, start, end, statuses={1}, channels={2})
    assert 0 < len(filtered) < len(headers)
    assert list(beta.iter_changed_orders(same_moment, same_moment + timedelta(microseconds=1))) == [
        h for h in headers if h.changed_date == same_moment
    ]
    assert list(beta.iter_changed_orders(start, same_moment)) == [
        h for h in headers if h.changed_date < same_moment
    ]


def test_changed_orders_validate_their_arguments_before_calling(alpha: JetshopHook) -> None:
    naive = datetime(2026, 11, 1)
    with pytest.raises(ValueError, match="aware"):
        list(alpha.iter_changed_orders(naive, naive + timedelta(days=1)))
    with pytest.raises(ValueError, match="page_size"):
        list(alpha.iter_changed_orders(TEST_START - timedelta(days=1), TEST_START, page_size=501))
    with pytest.raises(ValueError, match="before"):
        list(alpha.iter_changed_orders(TEST_START, TEST_START))


def test_get_order_returns_the_whole_order(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    for order_id, stored in shop_state(jetshop_sim).orders.items():
        assert alpha.get_order(order_id) == stored
    assert alpha.get_order(1) is None


def test_set_order_status_mails_captures_and_is_idempotent(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    order = next(o for o in shop_state(jetshop_sim).orders.values() if o.payment_method in ("Klarna", "DIBS"))
    update = OrderStatusUpdate(
        order_id=order.order_id,
        status_id=3,
        send_mail_to_customer=True,
        tracking_number="TRK-1",
        capture_payment=True,
    )
    results = alpha.set_order_status([update, OrderStatusUpdate(order_id=1, status_id=3)])
    assert (results[0].success, results[0].capture_result) == (True, CaptureResult.CAPTURED)
    assert (results[1].success, results[1].message) == (False, "Order not found")
    with pytest.raises(JetshopItemsFailedError, match=r"order 1: 1 problem\(s\), not quoted") as caught:
        raise_for_failures("Order_SetStatus", results)
    assert caught.value.failures[0].problems == ("Order not found",)  # the service's words, for code only
    assert "Order not found" not in str(caught.value)
    stored = shop_state(jetshop_sim).orders[order.order_id]
    assert (stored.status_id, stored.tracking_number, stored.payment_status) == (3, "TRK-1", "Captured")
    again = alpha.set_order_status([update])
    assert (again[0].success, again[0].capture_result) == (True, CaptureResult.ALREADY_CAPTURED)
    assert len(jetshop_sim.admin("GET", "mails")) == 1, "setting the same status again sends no mail"
    assert len(jetshop_sim.admin("GET", "captures")) == 1
    assert alpha.set_order_status([]) == []


def test_changed_products_are_paged_by_keyset(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    expected = sorted(shop_state(jetshop_sim).products.values(), key=lambda p: (p.modified, p.article_number))
    changes = list(alpha.iter_changed_products(page_size=2))
    assert [(c.article_number, c.modified_date) for c in changes] == [
        (p.article_number, p.modified) for p in expected
    ]
    middle = changes[len(changes) // 2]
    resumed = list(
        alpha.iter_changed_products(
            middle.modified_date, after_article_number=middle.article_number, page_size=4
        )
    )
    assert resumed == changes[len(changes) // 2 + 1 :]
