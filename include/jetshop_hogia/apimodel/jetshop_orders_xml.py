"""XML ⇄ model codec of the modelled Jetshop order operations (MODEL — docs/API_MODEL.md).

One module, used by both the simulator (decode requests, encode results) and the JetshopHook (encode
requests, decode results), so the two sides cannot drift apart. Element names and order are those of
``docs/API_MODEL.md``; values use the FACT wire conventions of :mod:`jetshop_hogia.soap` (4-decimal
numbers, 8-decimal VAT fractions, offset-less Stockholm times, ``xsi:nil`` for nulls). When a merchant
hands over the real WSDL, this module and ``jetshop_orders.py`` are what change.

Encoders named ``encode_*_request`` return the parameter element to pass to
:func:`jetshop_hogia.soap.build_request`; encoders of results append to the ``…Result`` element from
:func:`jetshop_hogia.soap.start_response`. Decoders take the operation element (requests) or the result
element returned by :func:`jetshop_hogia.soap.parse_response` (results).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from jetshop_hogia import soap
from jetshop_hogia.apimodel.jetshop_orders import (
    JetshopOrder,
    OrderCustomer,
    OrderHeader,
    OrderPage,
    OrderRow,
    OrderStatusInfo,
    OrderStatusResult,
    OrderStatusUpdate,
    ProductChange,
    ProductChangePage,
    ShipTo,
)
from jetshop_hogia.apimodel.jetshop_orders_fields import (
    CUSTOMER,
    HEADER,
    ORDER_HEAD,
    ORDER_TAIL,
    PRODUCT_CHANGE,
    ROW,
    SHIP_TO,
    STATUS_RESULT,
    STATUS_UPDATE,
    Field,
)
from jetshop_hogia.apimodel.jetshop_xml_kinds import KIND_READERS

ORDER_STATUS_GET_LIST = "OrderStatus_GetList"
ORDER_GET_CHANGED_LIST = "Order_GetChangedList"
ORDER_GET = "Order_Get"
ORDER_SET_STATUS = "Order_SetStatus"
PRODUCT_GET_CHANGED_LIST = "Product_GetChangedList"
PAGE_SIZE_DEFAULT, PAGE_SIZE_MIN, PAGE_SIZE_MAX = 100, 1, 500
M = TypeVar("M", bound=BaseModel)


class OrderChangedRequest(BaseModel):
    """Parameters of ``Order_GetChangedList``: a ``[changed_from, changed_to)`` window, filters, keyset."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    changed_from: datetime | None = None
    changed_to: datetime | None = None
    status_ids: tuple[int, ...] = ()
    channel_ids: tuple[int, ...] = ()
    after_changed_date: datetime | None = None
    after_order_id: int | None = None
    page_size: int = PAGE_SIZE_DEFAULT


class ProductChangedRequest(BaseModel):
    """Parameters of ``Product_GetChangedList``: ``changed_since`` inclusive, article keyset within it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    changed_since: datetime | None = None
    after_article_number: str | None = None
    page_size: int = PAGE_SIZE_DEFAULT


def _write(parent: soap.Element, fields: Sequence[Field], source: Any) -> None:
    for xml_name, attr, kind in fields:
        value = getattr(source, attr)
        if kind == "vat" and value is not None:
            soap.add(parent, xml_name, soap.format_vat(value))
        elif kind == "str" and value is not None:
            soap.add(parent, xml_name, str(value))  # enums are written by value
        else:
            soap.add(parent, xml_name, value)


def _read(parent: soap.Element, fields: Sequence[Field]) -> dict[str, Any]:
    """The present, non-nil fields as model keyword arguments (absent ones take the model default)."""
    found: dict[str, Any] = {}
    for xml_name, attr, kind in fields:
        if not soap.has(parent, xml_name):
            continue
        found[attr] = KIND_READERS[kind](parent, xml_name)
    return found


def _ints(parent: soap.Element, container: str, values: Iterable[int]) -> None:
    box = soap.add_container(parent, container)
    for value in values:
        soap.add(box, "int", value)


def _read_ints(parent: soap.Element, container: str) -> tuple[int, ...]:
    found: list[int] = []
    for node in soap.items(parent, container, "int"):
        try:
            found.append(soap.parse_int(node.text, name="int"))
        except soap.XmlValueError as exc:
            exc.element = node
            raise
    return tuple(found)


def _model(model: type[M], element: soap.Element, table: Sequence[Field] = (), **fields: Any) -> M:
    """Build ``model``; a missing or invalid field becomes an ``XmlValueError`` located at ``element``.

    The error names the field's XML element (from ``table``) and the value it held — ``""`` when the
    element is absent or nil — so a caller can quarantine the record saying exactly what is wrong.
    """
    try:
        return model(**fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = f"{model.__name__}.{where}: {problem['msg']}"
        attr = str(problem["loc"][0]) if problem["loc"] else ""
        xml_name = next((xml for xml, name, _kind in table if name == attr), soap.local_name(element))
        value = problem.get("input")
        shown = "" if value is None or isinstance(value, dict) else str(value)
        raise soap.XmlValueError(xml_name, shown, model.__name__, message, element=element) from exc


def _param(op: soap.Element, name: str) -> soap.Element:
    """The operation's parameter element, or an empty one (every field then takes its default)."""
    found = soap.child(op, name)
    return found if found is not None and not soap.is_nil(found) else soap.element(name)


# --- OrderStatus_GetList -------------------------------------------------------------------------


def encode_status_list(result: soap.Element, statuses: Iterable[OrderStatusInfo]) -> None:
    """Fill ``OrderStatus_GetListResult`` with ``OrderStatusData{StatusId, Name}`` items."""
    for status in statuses:
        item = soap.add_container(result, "OrderStatusData")
        soap.add(item, "StatusId", status.status_id)
        soap.add(item, "Name", status.name)


def decode_status_list(result: soap.Element) -> tuple[OrderStatusInfo, ...]:
    """The shop's configured statuses from ``OrderStatus_GetListResult``."""
    return tuple(
        OrderStatusInfo(status_id=soap.integer(item, "StatusId") or 0, name=soap.text(item, "Name") or "")
        for item in soap.children(result, "OrderStatusData")
    )


# --- Order_GetChangedList ------------------------------------------------------------------------


def encode_order_changed_request(request: OrderChangedRequest) -> soap.Element:
    """The ``orderChangedRequest`` parameter element."""
    param = soap.element("orderChangedRequest")
    soap.add(param, "ChangedFrom", request.changed_from)
    soap.add(param, "ChangedTo", request.changed_to)
    _ints(param, "StatusIds", request.status_ids)
    _ints(param, "ChannelIds", request.channel_ids)
    soap.add(param, "AfterChangedDate", request.after_changed_date)
    soap.add(param, "AfterOrderId", request.after_order_id)
    soap.add(param, "PageSize", request.page_size)
    return param


def decode_order_changed_request(op: soap.Element) -> OrderChangedRequest:
    """``Order_GetChangedList``'s parameters (raises ``XmlValueError`` for ill-typed values)."""
    param = _param(op, "orderChangedRequest")
    page_size = soap.integer(param, "PageSize")
    return OrderChangedRequest(
        changed_from=soap.timestamp(param, "ChangedFrom"),
        changed_to=soap.timestamp(param, "ChangedTo"),
        status_ids=_read_ints(param, "StatusIds"),
        channel_ids=_read_ints(param, "ChannelIds"),
        after_changed_date=soap.timestamp(param, "AfterChangedDate"),
        after_order_id=soap.integer(param, "AfterOrderId"),
        page_size=PAGE_SIZE_DEFAULT if page_size is None else page_size,
    )


def encode_order_page(result: soap.Element, page: OrderPage) -> None:
    """Fill ``Order_GetChangedListResult`` with ``Orders{OrderHeader…}`` and ``HasMore``."""
    box = soap.add_container(result, "Orders")
    for header in page.orders:
        _write(soap.add_container(box, "OrderHeader"), HEADER, header)
    soap.add(result, "HasMore", page.has_more)


def decode_order_page(result: soap.Element) -> OrderPage:
    """An :class:`OrderPage` from ``Order_GetChangedListResult``."""
    headers = tuple(
        _model(OrderHeader, item, HEADER, **_read(item, HEADER))
        for item in soap.items(result, "Orders", "OrderHeader")
    )
    return OrderPage(orders=headers, has_more=bool(soap.boolean(result, "HasMore")))


# --- Order_Get -----------------------------------------------------------------------------------


def encode_order_request(order_id: int) -> soap.Element:
    """The ``orderRequest{OrderId}`` parameter element."""
    param = soap.element("orderRequest")
    soap.add(param, "OrderId", order_id)
    return param


def decode_order_request(op: soap.Element) -> int | None:
    """The requested ``OrderId`` (None when not sent)."""
    return soap.integer(_param(op, "orderRequest"), "OrderId")


def encode_order(result: soap.Element, order: JetshopOrder | None) -> None:
    """Fill ``Order_GetResult`` with ``OrderData``; leave it empty when the order was not found."""
    if order is None:
        return
    data = soap.add_container(result, "OrderData")
    _write(data, ORDER_HEAD, order)
    _write(soap.add_container(data, "Customer"), CUSTOMER, order.customer)
    _write(data, SHIP_TO, order.ship_to)
    _write(data, ORDER_TAIL, order)
    rows = soap.add_container(data, "OrderRows")
    for row in order.rows:
        _write(soap.add_container(rows, "OrderRow"), ROW, row)


def decode_order(result: soap.Element) -> JetshopOrder | None:
    """The order in ``Order_GetResult``, or None for an empty result (not found)."""
    data = soap.child(result, "OrderData")
    if data is None or soap.is_nil(data):
        return None
    fields = _read(data, ORDER_HEAD) | _read(data, ORDER_TAIL)
    customer = soap.child(data, "Customer")
    rows = tuple(
        _model(OrderRow, item, ROW, **_read(item, ROW)) for item in soap.items(data, "OrderRows", "OrderRow")
    )
    return _model(
        JetshopOrder,
        data,
        (*ORDER_HEAD, *ORDER_TAIL),
        **fields,
        customer=_model(OrderCustomer, customer, CUSTOMER, **_read(customer, CUSTOMER))
        if customer is not None
        else OrderCustomer(),
        ship_to=_model(ShipTo, data, SHIP_TO, **_read(data, SHIP_TO)),
        rows=rows,
    )


# --- Order_SetStatus -----------------------------------------------------------------------------


def encode_status_updates(updates: Iterable[OrderStatusUpdate]) -> soap.Element:
    """The ``orderStatusUpdates`` parameter element (one ``OrderStatusUpdate`` per order)."""
    param = soap.element("orderStatusUpdates")
    for update in updates:
        _write(soap.add_container(param, "OrderStatusUpdate"), STATUS_UPDATE, update)
    return param


def decode_status_updates(op: soap.Element) -> list[OrderStatusUpdate]:
    """``Order_SetStatus``'s updates; every item is decoded before any is applied (whole batch or none)."""
    return [
        _model(OrderStatusUpdate, item, STATUS_UPDATE, **_read(item, STATUS_UPDATE))
        for item in soap.children(_param(op, "orderStatusUpdates"), "OrderStatusUpdate")
    ]


def encode_status_results(result: soap.Element, results: Iterable[OrderStatusResult]) -> None:
    """Fill ``Order_SetStatusResult`` with one ``OrderStatusResult`` per update, in request order."""
    for item in results:
        _write(soap.add_container(result, "OrderStatusResult"), STATUS_RESULT, item)


def decode_status_results(result: soap.Element) -> list[OrderStatusResult]:
    """The per-order outcomes of ``Order_SetStatus``."""
    return [
        _model(OrderStatusResult, item, STATUS_RESULT, **_read(item, STATUS_RESULT))
        for item in soap.children(result, "OrderStatusResult")
    ]


# --- Product_GetChangedList ----------------------------------------------------------------------


def encode_product_changed_request(request: ProductChangedRequest) -> soap.Element:
    """The ``productChangedRequest`` parameter element."""
    param = soap.element("productChangedRequest")
    soap.add(param, "ChangedSince", request.changed_since)
    soap.add(param, "AfterArticleNumber", request.after_article_number)
    soap.add(param, "PageSize", request.page_size)
    return param


def decode_product_changed_request(op: soap.Element) -> ProductChangedRequest:
    """``Product_GetChangedList``'s parameters."""
    param = _param(op, "productChangedRequest")
    page_size = soap.integer(param, "PageSize")
    return ProductChangedRequest(
        changed_since=soap.timestamp(param, "ChangedSince"),
        after_article_number=soap.text(param, "AfterArticleNumber") or None,
        page_size=PAGE_SIZE_DEFAULT if page_size is None else page_size,
    )


def encode_product_change_page(result: soap.Element, page: ProductChangePage) -> None:
    """Fill ``Product_GetChangedListResult`` with ``Products{ProductChange…}`` and ``HasMore``."""
    box = soap.add_container(result, "Products")
    for change in page.products:
        _write(soap.add_container(box, "ProductChange"), PRODUCT_CHANGE, change)
    soap.add(result, "HasMore", page.has_more)


def decode_product_change_page(result: soap.Element) -> ProductChangePage:
    """A :class:`ProductChangePage` from ``Product_GetChangedListResult``."""
    changes = tuple(
        _model(ProductChange, item, PRODUCT_CHANGE, **_read(item, PRODUCT_CHANGE))
        for item in soap.items(result, "Products", "ProductChange")
    )
    return ProductChangePage(products=changes, has_more=bool(soap.boolean(result, "HasMore")))
