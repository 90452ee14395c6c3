"""The modelled order operations (MODEL — docs/API_MODEL.md) and ``Product_GetChangedList``.

Change lists are ordered by (timestamp, key) and paged with a keyset strictly after the last row seen,
so rows sharing a timestamp are never skipped or repeated across page boundaries. Status changes are
idempotent (setting the current status again changes nothing, sends no mail), bump ``ChangedDate`` and
may capture the payment at Klarna/DIBS.
"""

from __future__ import annotations

from datetime import datetime

from jetshop_hogia import soap
from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import (
    CaptureResult,
    JetshopOrder,
    OrderHeader,
    OrderPage,
    OrderStatus,
    OrderStatusInfo,
    OrderStatusResult,
    OrderStatusUpdate,
    PaymentMethod,
    ProductChange,
    ProductChangePage,
)
from jetshop_hogia_simulators.jetshop.calls import Call, RequestRejected
from jetshop_hogia_simulators.jetshop.planted import render
from jetshop_hogia_simulators.jetshop.state import Capture, JetshopState, Mail, ShopState

CAPTURABLE = frozenset({PaymentMethod.KLARNA.value, PaymentMethod.DIBS.value})


def _check_page_size(page_size: int) -> None:
    if not codec.PAGE_SIZE_MIN <= page_size <= codec.PAGE_SIZE_MAX:
        raise RequestRejected(
            f"PageSize must be between {codec.PAGE_SIZE_MIN} and {codec.PAGE_SIZE_MAX}, not {page_size}."
        )


def order_status_get_list(call: Call) -> bytes:
    """``OrderStatus_GetList``: the shop's configured statuses."""
    result = soap.start_response(codec.ORDER_STATUS_GET_LIST)
    statuses = (OrderStatusInfo(status_id=k, name=v) for k, v in sorted(call.shop.statuses.items()))
    codec.encode_status_list(result, statuses)
    return soap.serialize(result)


def order_page(shop: ShopState, request: codec.OrderChangedRequest) -> OrderPage:
    """The page of order headers ``request`` asks for (window, filters, keyset)."""
    _check_page_size(request.page_size)
    statuses, channels = set(request.status_ids), set(request.channel_ids)
    after = None
    if request.after_changed_date is not None:
        after = (request.after_changed_date, request.after_order_id or 0)
    rows = sorted(
        (
            order
            for order in shop.orders.values()
            if (request.changed_from is None or order.changed_date >= request.changed_from)
            and (request.changed_to is None or order.changed_date < request.changed_to)
            and (not statuses or order.status_id in statuses)
            and (not channels or order.channel_id in channels)
            and (after is None or (order.changed_date, order.order_id) > after)
        ),
        key=lambda order: (order.changed_date, order.order_id),
    )
    page = rows[: request.page_size]
    headers = tuple(
        OrderHeader(
            order_id=o.order_id,
            order_number=o.order_number,
            channel_id=o.channel_id,
            status_id=o.status_id,
            changed_date=o.changed_date,
        )
        for o in page
    )
    return OrderPage(orders=headers, has_more=len(rows) > len(page))


def order_get_changed_list(call: Call) -> bytes:
    """``Order_GetChangedList``."""
    page = order_page(call.shop, codec.decode_order_changed_request(call.op))
    result = soap.start_response(codec.ORDER_GET_CHANGED_LIST)
    codec.encode_order_page(result, page)
    return soap.serialize(result)


def order_get(call: Call) -> bytes:
    """``Order_Get``: the whole order, or an empty result when the shop has no such order."""
    order_id = codec.decode_order_request(call.op)
    result = soap.start_response(codec.ORDER_GET)
    codec.encode_order(result, call.shop.orders.get(order_id) if order_id is not None else None)
    planted = call.shop.planted_answers.get(order_id) if order_id is not None else None
    return soap.serialize(result) if planted is None else render(planted, result)


def _capture(state: JetshopState, shop: ShopState, order: JetshopOrder, now: datetime) -> CaptureResult:
    if order.payment_method not in CAPTURABLE:
        return CaptureResult.NOT_SUPPORTED
    if order.payment_status == "Captured":
        return CaptureResult.ALREADY_CAPTURED
    if order.status_id == int(OrderStatus.CANCELLED):
        return CaptureResult.FAILED
    state.captures.append(
        Capture(
            shop_id=shop.shop_id,
            order_id=order.order_id,
            order_number=order.order_number,
            payment_method=order.payment_method,
            amount=order.total_inc_vat,
            currency=order.currency,
            captured_at=now,
        )
    )
    return CaptureResult.CAPTURED


def set_status(
    state: JetshopState, shop: ShopState, update: OrderStatusUpdate, now: datetime
) -> OrderStatusResult:
    """Apply one status update to ``shop`` (also used by the admin driver for merchant changes)."""
    order = shop.orders.get(update.order_id)
    if order is None:
        return OrderStatusResult(order_id=update.order_id, success=False, message="Order not found")
    if update.status_id not in shop.statuses:
        return OrderStatusResult(
            order_id=update.order_id, success=False, message=f"Order status {update.status_id} does not exist"
        )
    changes: dict[str, object] = {}
    status_changed = update.status_id != order.status_id
    if status_changed:
        changes |= {"status_id": update.status_id, "status_name": shop.statuses[update.status_id]}
    for attr in ("tracking_number", "tracking_url"):
        value = getattr(update, attr)
        if value is not None and value != getattr(order, attr):
            changes[attr] = value
    order = order.model_copy(update=changes)
    capture = CaptureResult.NONE
    if update.capture_payment:
        capture = _capture(state, shop, order, now)
        if capture is CaptureResult.CAPTURED:
            changes["payment_status"] = "Captured"
    if status_changed and update.send_mail_to_customer:
        state.mails.append(
            Mail(
                shop_id=shop.shop_id,
                order_id=order.order_id,
                order_number=order.order_number,
                status_id=update.status_id,
                email=order.email,
                sent_at=now,
            )
        )
    if changes:
        shop.orders[order.order_id] = order.model_copy(update=changes | {"changed_date": now})
    return OrderStatusResult(order_id=update.order_id, success=True, message=None, capture_result=capture)


def order_set_status(call: Call) -> bytes:
    """``Order_SetStatus``: one ``OrderStatusResult`` per update, in order."""
    updates = codec.decode_status_updates(call.op)
    results = [set_status(call.state, call.shop, update, call.now) for update in updates]
    result = soap.start_response(codec.ORDER_SET_STATUS)
    codec.encode_status_results(result, results)
    return soap.serialize(result)


def product_change_page(shop: ShopState, request: codec.ProductChangedRequest) -> ProductChangePage:
    """Products ordered by (ModifiedDate, ArticleNumber) from ``changed_since`` (inclusive) on."""
    _check_page_size(request.page_size)
    since, after = request.changed_since, request.after_article_number
    rows = sorted(
        (
            p
            for p in shop.products.values()
            if since is None
            or p.modified > since
            or (p.modified == since and (after is None or p.article_number > after))
        ),
        key=lambda p: (p.modified, p.article_number),
    )
    page = rows[: request.page_size]
    changes = tuple(
        ProductChange(article_number=p.article_number, product_id=p.product_id, modified_date=p.modified)
        for p in page
    )
    return ProductChangePage(products=changes, has_more=len(rows) > len(page))


def product_get_changed_list(call: Call) -> bytes:
    """``Product_GetChangedList``."""
    page = product_change_page(call.shop, codec.decode_product_changed_request(call.op))
    result = soap.start_response(codec.PRODUCT_GET_CHANGED_LIST)
    codec.encode_product_change_page(result, page)
    return soap.serialize(result)
