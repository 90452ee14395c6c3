"""The order-operation codec both the simulator and the hook use: round trips and element order."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jetshop_hogia import soap
from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import (
    CaptureResult,
    OrderHeader,
    OrderPage,
    OrderStatusInfo,
    OrderStatusResult,
    OrderStatusUpdate,
    ProductChange,
    ProductChangePage,
)
from jetshop_hogia_simulators.seed import generate_world

WORLD = generate_world(42, orders_per_shop=40)
ORDERS = [order for orders in WORLD.orders.values() for order in orders]
WHEN = datetime(2026, 11, 20, 11, 0, 0, 690000, tzinfo=UTC)


def _over_the_wire(operation: str, fill: object) -> soap.Element:
    result = soap.start_response(operation)
    fill(result)  # type: ignore[operator]
    return soap.parse_response(soap.serialize(result), operation)


def _request_over_the_wire(operation: str, param: soap.Element) -> soap.Element:
    return soap.parse_request(soap.build_request(operation, param, shop_id="alpha")).element


def test_every_seeded_order_survives_order_get() -> None:
    for order in ORDERS:
        result = _over_the_wire(codec.ORDER_GET, lambda r, o=order: codec.encode_order(r, o))
        assert codec.decode_order(result) == order


def test_order_data_elements_are_in_the_documented_order() -> None:
    result = _over_the_wire(codec.ORDER_GET, lambda r: codec.encode_order(r, ORDERS[0]))
    data = soap.child(result, "OrderData")
    assert data is not None
    names = [soap.local_name(child) for child in data]
    assert names == [
        "OrderId", "OrderNumber", "ChannelId", "OrderDate", "ChangedDate", "StatusId", "StatusName",
        "Currency", "TotalIncVat", "TotalVat", "CustomerId", "Email", "Customer", "ShipToCompany",
        "ShipToFirstName", "ShipToLastName", "ShipToAddress", "ShipToCo", "ShipToZipCode", "ShipToCity",
        "ShipToCountryCode", "ShipToMobilePhone", "PaymentMethod", "PaymentStatus", "DeliveryMethod",
        "TrackingNumber", "TrackingUrl", "OrderRows",
    ]  # fmt: skip
    row = data.find(".//{WebServiceProvider}OrderRow")
    assert row is not None
    assert [soap.local_name(c) for c in row] == [
        "RowId", "RowType", "ArticleNumber", "Name", "VariantValue", "Quantity", "UnitPriceIncVat",
        "UnitPriceExVat", "VatRate", "DiscountIncVat", "TotalIncVat",
    ]  # fmt: skip
    assert soap.text(row, "VatRate") in {"0.25000000", "0.12000000", "0.06000000", "0.00000000"}
    assert soap.text(data, "ShipToCo") is None, "nulls travel as xsi:nil"


def test_an_empty_order_get_result_means_not_found() -> None:
    assert codec.decode_order(_over_the_wire(codec.ORDER_GET, lambda r: codec.encode_order(r, None))) is None


def test_changed_list_request_and_page_round_trip() -> None:
    request = codec.OrderChangedRequest(
        changed_from=WHEN,
        changed_to=WHEN.replace(hour=12),
        status_ids=(2, 3),
        channel_ids=(1,),
        after_changed_date=WHEN,
        after_order_id=100_004,
        page_size=50,
    )
    op = _request_over_the_wire(codec.ORDER_GET_CHANGED_LIST, codec.encode_order_changed_request(request))
    assert codec.decode_order_changed_request(op) == request
    assert (
        codec.decode_order_changed_request(soap.element("Order_GetChangedList"))
        == codec.OrderChangedRequest()
    )
    header = OrderHeader(order_id=1, order_number="A1", channel_id=2, status_id=3, changed_date=WHEN)
    page = OrderPage(orders=(header, header.model_copy(update={"order_id": 2})), has_more=True)
    assert (
        codec.decode_order_page(
            _over_the_wire(codec.ORDER_GET_CHANGED_LIST, lambda r: codec.encode_order_page(r, page))
        )
        == page
    )


def test_status_operations_round_trip() -> None:
    statuses = (OrderStatusInfo(status_id=1, name="New"), OrderStatusInfo(status_id=7, name="OnHold"))
    result = _over_the_wire(codec.ORDER_STATUS_GET_LIST, lambda r: codec.encode_status_list(r, statuses))
    assert codec.decode_status_list(result) == statuses
    updates = [
        OrderStatusUpdate(
            order_id=1, status_id=3, send_mail_to_customer=True, tracking_number="PN1", capture_payment=True
        ),
        OrderStatusUpdate(order_id=2, status_id=2),
    ]
    op = _request_over_the_wire(codec.ORDER_SET_STATUS, codec.encode_status_updates(updates))
    assert codec.decode_status_updates(op) == updates
    results = [
        OrderStatusResult(order_id=1, success=True, capture_result=CaptureResult.CAPTURED),
        OrderStatusResult(order_id=2, success=False, message="Order not found"),
    ]
    decoded = codec.decode_status_results(
        _over_the_wire(codec.ORDER_SET_STATUS, lambda r: codec.encode_status_results(r, results))
    )
    assert decoded == results


def test_order_request_and_product_change_list_round_trip() -> None:
    op = _request_over_the_wire(codec.ORDER_GET, codec.encode_order_request(100_001))
    assert codec.decode_order_request(op) == 100_001
    request = codec.ProductChangedRequest(changed_since=WHEN, after_article_number="2201-60", page_size=2)
    op = _request_over_the_wire(codec.PRODUCT_GET_CHANGED_LIST, codec.encode_product_changed_request(request))
    assert codec.decode_product_changed_request(op) == request
    page = ProductChangePage(
        products=(ProductChange(article_number="1092-10", product_id=1001, modified_date=WHEN),),
        has_more=False,
    )
    result = _over_the_wire(
        codec.PRODUCT_GET_CHANGED_LIST, lambda r: codec.encode_product_change_page(r, page)
    )
    assert codec.decode_product_change_page(result) == page


def test_ill_typed_and_missing_values_raise_xml_value_errors_at_the_element() -> None:
    updates = soap.element("orderStatusUpdates")
    item = soap.add_container(updates, "OrderStatusUpdate")
    soap.add(item, "OrderId", "")
    op = soap.element("Order_SetStatus")
    op.append(updates)
    with pytest.raises(soap.XmlValueError, match="correct format") as error:
        codec.decode_status_updates(op)
    assert soap.local_name(error.value.element) == "OrderId"
    missing = soap.element("Order_SetStatus")
    soap.add_container(soap.add_container(missing, "orderStatusUpdates"), "OrderStatusUpdate")
    with pytest.raises(soap.XmlValueError, match="order_id"):
        codec.decode_status_updates(missing)
    ints = soap.element("orderChangedRequest")
    soap.add(soap.add_container(ints, "StatusIds"), "int", "x")
    wrapper = soap.element("Order_GetChangedList")
    wrapper.append(ints)
    with pytest.raises(soap.XmlValueError) as error:
        codec.decode_order_changed_request(wrapper)
    assert soap.local_name(error.value.element) == "int"


@given(
    st.lists(st.integers(min_value=1, max_value=7), max_size=5),
    st.integers(min_value=-5, max_value=600),
    st.none() | st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x2FF), max_size=20),
)
def test_requests_round_trip_for_any_values(status_ids: list[int], page_size: int, after: str | None) -> None:
    request = codec.OrderChangedRequest(status_ids=tuple(status_ids), page_size=page_size)
    op = _request_over_the_wire(codec.ORDER_GET_CHANGED_LIST, codec.encode_order_changed_request(request))
    assert codec.decode_order_changed_request(op) == request
    product_request = codec.ProductChangedRequest(after_article_number=after or None)
    op = _request_over_the_wire(
        codec.PRODUCT_GET_CHANGED_LIST, codec.encode_product_changed_request(product_request)
    )
    assert codec.decode_product_changed_request(op) == product_request


def test_money_is_written_with_four_decimals() -> None:
    result = _over_the_wire(codec.ORDER_GET, lambda r: codec.encode_order(r, ORDERS[0]))
    data = soap.child(result, "OrderData")
    assert data is not None
    total = soap.text(data, "TotalIncVat") or ""
    assert Decimal(total) == ORDERS[0].total_inc_vat
    assert len(total.split(".")[1]) == 4
