"""The modelled order operations of the Jetshop simulator (MODEL — docs/API_MODEL.md), spoken through
the shared codec ``jetshop_orders_xml`` exactly as the hook will speak them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from jetshop_wire import request

from jetshop_hogia import soap
from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import (
    CaptureResult,
    JetshopOrder,
    OrderHeader,
    OrderStatusResult,
    OrderStatusUpdate,
)
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def _page(sim: JetshopSimHandle, shop: str = "alpha", **fields: object) -> tuple[list[OrderHeader], bool]:
    result = sim.call(
        codec.ORDER_GET_CHANGED_LIST,
        codec.encode_order_changed_request(codec.OrderChangedRequest.model_validate(fields)),
        shop_id=shop,
    )
    page = codec.decode_order_page(result)
    return list(page.orders), page.has_more


def _all_pages(
    sim: JetshopSimHandle, page_size: int, shop: str = "alpha", **fields: object
) -> list[OrderHeader]:
    seen: list[OrderHeader] = []
    after: dict[str, object] = {}
    while True:
        rows, has_more = _page(sim, shop, page_size=page_size, **fields, **after)
        assert len(rows) <= page_size
        seen += rows
        if not has_more:
            return seen
        assert rows, "HasMore with an empty page"
        after = {"after_changed_date": rows[-1].changed_date, "after_order_id": rows[-1].order_id}


def _order(sim: JetshopSimHandle, order_id: int, shop: str = "alpha") -> JetshopOrder | None:
    return codec.decode_order(sim.call(codec.ORDER_GET, codec.encode_order_request(order_id), shop_id=shop))


def _set(sim: JetshopSimHandle, *updates: OrderStatusUpdate, shop: str = "alpha") -> list[OrderStatusResult]:
    result = sim.call(codec.ORDER_SET_STATUS, codec.encode_status_updates(updates), shop_id=shop)
    return codec.decode_status_results(result)


def _seeded(sim: JetshopSimHandle, shop: str = "alpha") -> list[JetshopOrder]:
    return list(sim.simulator.state.shops[shop].orders.values())


def test_status_list_has_the_seven_model_statuses(jetshop_sim: JetshopSimHandle) -> None:
    statuses = codec.decode_status_list(jetshop_sim.call(codec.ORDER_STATUS_GET_LIST))
    assert [(s.status_id, s.name) for s in statuses] == [
        (1, "New"),
        (2, "Processing"),
        (3, "Delivered"),
        (4, "Invoiced"),
        (5, "Paid"),
        (6, "Cancelled"),
        (7, "OnHold"),
    ]


def test_changed_list_returns_every_order_of_the_shop_ordered_by_date_and_id(
    jetshop_sim: JetshopSimHandle,
) -> None:
    headers = _all_pages(jetshop_sim, 500)
    expected = sorted(_seeded(jetshop_sim), key=lambda o: (o.changed_date, o.order_id))
    assert [h.order_id for h in headers] == [o.order_id for o in expected]
    assert {h.order_number[0] for h in headers} == {"A"}, "only the caller's shop"


def test_keyset_paging_never_skips_or_repeats_orders_sharing_a_timestamp(
    jetshop_sim: JetshopSimHandle,
) -> None:
    placed = datetime.fromisoformat("2026-11-20T11:00:00+01:00")
    created = jetshop_sim.admin(
        "POST", "orders", {"shop_id": "alpha", "count": 7, "placed_at": placed.isoformat()}
    )
    ids = sorted(o["order_id"] for o in created["orders"])
    window = {"changed_from": placed, "changed_to": placed + timedelta(seconds=1)}
    for page_size in (1, 2, 3, 7):
        headers = _all_pages(jetshop_sim, page_size, **window)
        assert [h.order_id for h in headers] == ids, page_size
        assert {h.changed_date for h in headers} == {placed}
    everything = _all_pages(jetshop_sim, 4)
    assert len(everything) == len({h.order_id for h in everything}) == len(_seeded(jetshop_sim))


def test_the_window_includes_changed_from_and_excludes_changed_to(jetshop_sim: JetshopSimHandle) -> None:
    order = sorted(_seeded(jetshop_sim), key=lambda o: o.changed_date)[5]
    at = order.changed_date
    assert order.order_id in [
        h.order_id for h in _page(jetshop_sim, changed_from=at, changed_to=at + timedelta(1))[0]
    ]
    assert order.order_id not in [h.order_id for h in _page(jetshop_sim, changed_to=at)[0]]


def test_filters_use_the_current_status_and_the_channel(jetshop_sim: JetshopSimHandle) -> None:
    new = {o.order_id for o in _seeded(jetshop_sim) if o.status_id == 1}
    assert {h.order_id for h in _page(jetshop_sim, status_ids=(1,))[0]} == new
    target = sorted(new)[0]
    _set(jetshop_sim, OrderStatusUpdate(order_id=target, status_id=2))
    assert target not in {h.order_id for h in _page(jetshop_sim, status_ids=(1,))[0]}
    assert target in {h.order_id for h in _page(jetshop_sim, status_ids=(2, 3))[0]}
    norway = {o.order_id for o in _seeded(jetshop_sim, "beta") if o.channel_id == 2}
    assert norway, "the seed gives beta orders in its Norwegian channel"
    assert {h.order_id for h in _page(jetshop_sim, "beta", channel_ids=(2,))[0]} == norway
    assert {h.channel_id for h in _page(jetshop_sim, "beta", channel_ids=(2,))[0]} == {2}


@pytest.mark.parametrize("page_size", [0, 501, -1])
def test_page_size_outside_1_to_500_is_a_sender_fault(jetshop_sim: JetshopSimHandle, page_size: int) -> None:
    with pytest.raises(soap.SoapFault) as fault:
        _page(jetshop_sim, page_size=page_size)
    assert fault.value.is_sender
    assert fault.value.http_status == 500
    assert "PageSize" in fault.value.reason


def test_page_size_defaults_to_100(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("POST", "orders", {"shop_id": "alpha", "count": 100})
    body = request("Order_GetChangedList", {"orderChangedRequest": {}})
    page = codec.decode_order_page(
        soap.parse_response(jetshop_sim.post(body).content, "Order_GetChangedList")
    )
    assert len(page.orders) == 100
    assert page.has_more


def test_order_get_returns_the_whole_order_or_an_empty_result(jetshop_sim: JetshopSimHandle) -> None:
    for seeded in _seeded(jetshop_sim):
        assert _order(jetshop_sim, seeded.order_id) == seeded
    assert _order(jetshop_sim, 999_999) is None
    other_shop = _seeded(jetshop_sim, "beta")[0].order_id
    assert _order(jetshop_sim, other_shop) is None, "a shop sees only its own orders"


def test_set_status_changes_status_bumps_changed_date_and_sends_one_mail(
    jetshop_sim: JetshopSimHandle,
) -> None:
    order = next(o for o in _seeded(jetshop_sim) if o.status_id == 2)
    update = OrderStatusUpdate(
        order_id=order.order_id,
        status_id=3,
        send_mail_to_customer=True,
        tracking_number="PN123",
        tracking_url="https://t/1",
    )
    [result] = _set(jetshop_sim, update)
    assert (result.success, result.message, result.capture_result) == (True, None, CaptureResult.NONE)
    changed = _order(jetshop_sim, order.order_id)
    assert changed is not None
    assert (changed.status_id, changed.status_name, changed.tracking_number) == (3, "Delivered", "PN123")
    assert changed.changed_date > order.changed_date
    mails = jetshop_sim.admin("GET", "mails")
    assert [(m["order_id"], m["status_id"], m["email"]) for m in mails] == [(order.order_id, 3, order.email)]
    jetshop_sim.admin("POST", "clock", {"advance_seconds": 30})
    [again] = _set(jetshop_sim, update)
    assert again.success, "setting the current status again is a success"
    unchanged = _order(jetshop_sim, order.order_id)
    assert unchanged == changed, "idempotent: no new ChangedDate"
    assert len(jetshop_sim.admin("GET", "mails")) == 1, "and no second mail"
    assert [h.order_id for h in _page(jetshop_sim, changed_from=changed.changed_date)[0]] == [order.order_id]


def test_set_status_reports_unknown_orders_and_statuses_per_item(jetshop_sim: JetshopSimHandle) -> None:
    known = _seeded(jetshop_sim)[0].order_id
    results = _set(
        jetshop_sim,
        OrderStatusUpdate(order_id=424242, status_id=3),
        OrderStatusUpdate(order_id=known, status_id=99),
        OrderStatusUpdate(order_id=known, status_id=7),
    )
    assert [(r.order_id, r.success) for r in results] == [(424242, False), (known, False), (known, True)]
    assert results[0].message == "Order not found"
    assert results[1].message


def _order_paid_with(sim: JetshopSimHandle, methods: set[str]) -> JetshopOrder:
    for shop in ("alpha", "beta", "gamma", "delta"):
        for order in _seeded(sim, shop):
            if order.payment_method in methods and order.order_number.startswith("A"):
                return order
    sim.admin("POST", "orders", {"shop_id": "alpha", "count": 30})
    return next(o for o in _seeded(sim) if o.payment_method in methods)


@pytest.mark.parametrize("method", ["Klarna", "DIBS"])
def test_capture_for_klarna_and_dibs_then_already_captured(
    jetshop_sim: JetshopSimHandle, method: str
) -> None:
    order = _order_paid_with(jetshop_sim, {method})
    update = OrderStatusUpdate(order_id=order.order_id, status_id=3, capture_payment=True)
    assert _set(jetshop_sim, update)[0].capture_result is CaptureResult.CAPTURED
    assert _set(jetshop_sim, update)[0].capture_result is CaptureResult.ALREADY_CAPTURED
    captured = _order(jetshop_sim, order.order_id)
    assert captured is not None
    assert captured.payment_status == "Captured"
    captures = jetshop_sim.admin("GET", "captures")
    assert [(c["order_id"], c["amount"], c["currency"]) for c in captures] == [
        (order.order_id, f"{order.total_inc_vat}", order.currency)
    ]


def test_capture_is_not_supported_for_invoice_and_card(jetshop_sim: JetshopSimHandle) -> None:
    order = _order_paid_with(jetshop_sim, {"Invoice", "Card"})
    [result] = _set(
        jetshop_sim, OrderStatusUpdate(order_id=order.order_id, status_id=3, capture_payment=True)
    )
    assert result.success
    assert result.capture_result is CaptureResult.NOT_SUPPORTED
    assert jetshop_sim.admin("GET", "captures") == []


def test_capture_of_a_cancelled_order_fails(jetshop_sim: JetshopSimHandle) -> None:
    order = _order_paid_with(jetshop_sim, {"Klarna", "DIBS"})
    [result] = _set(
        jetshop_sim, OrderStatusUpdate(order_id=order.order_id, status_id=6, capture_payment=True)
    )
    assert result.capture_result is CaptureResult.FAILED
    assert jetshop_sim.admin("GET", "captures") == []


def test_merchant_changes_and_new_orders_appear_in_the_change_list(jetshop_sim: JetshopSimHandle) -> None:
    start = jetshop_sim.simulator.now()
    order = _seeded(jetshop_sim)[0]
    jetshop_sim.admin("POST", f"orders/alpha/{order.order_id}/status", {"status_id": 7})
    placed = jetshop_sim.admin("POST", "orders", {"shop_id": "alpha", "count": 2, "status_id": 2})
    headers = _page(jetshop_sim, changed_from=start)[0]
    new_ids = [o["order_id"] for o in placed["orders"]]
    assert sorted(h.order_id for h in headers) == sorted([order.order_id, *new_ids])
    assert {h.status_id for h in headers} == {7, 2}
    assert all(o["order_number"].startswith("A") for o in placed["orders"])


def test_product_changed_list_pages_by_modified_date_and_article_number(
    jetshop_sim: JetshopSimHandle,
) -> None:
    def page(**fields: object) -> tuple[list[tuple[str, datetime]], bool]:
        request_model = codec.ProductChangedRequest.model_validate(fields)
        result = jetshop_sim.call(
            codec.PRODUCT_GET_CHANGED_LIST, codec.encode_product_changed_request(request_model)
        )
        decoded = codec.decode_product_change_page(result)
        return [(p.article_number, p.modified_date) for p in decoded.products], decoded.has_more

    seen: list[tuple[str, datetime]] = []
    cursor: dict[str, object] = {}
    while True:
        rows, has_more = page(page_size=2, **cursor)
        seen += rows
        if not has_more:
            break
        cursor = {"changed_since": rows[-1][1], "after_article_number": rows[-1][0]}
    products = jetshop_sim.simulator.state.shops["alpha"].products.values()
    assert seen == sorted(((p.article_number, p.modified) for p in products), key=lambda r: (r[1], r[0]))
    assert len({stamp for _, stamp in seen}) < len(seen), "the seed shares timestamps between products"
    jetshop_sim.admin("PATCH", "products/alpha/1092-10", {"price_inc_vat": "150"})
    latest, _ = page(changed_since=seen[-1][1], after_article_number=seen[-1][0])
    assert [article for article, _ in latest] == ["1092-10"]
    with pytest.raises(soap.SoapFault):
        page(page_size=501)
