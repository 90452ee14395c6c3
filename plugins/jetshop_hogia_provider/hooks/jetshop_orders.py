"""JetshopHook's order layer: every MODELLED Jetshop operation's client code, in this one module.

Orders, order statuses and change lists are not public (docs/API_MODEL.md): their wire shape lives in
``jetshop_hogia.apimodel.jetshop_orders`` / ``jetshop_orders_xml`` and their client calls here. When a
merchant hands over the real WSDL, this module and those two are what is swapped; the product calls
(FACT) and everything above the hook stay.

Paging is keyset paging, never offsets: a change list is ordered by (timestamp, key) and the next page
starts strictly after the last row seen, so rows that share a timestamp are neither skipped nor
repeated, and rows changed while paging move past the window end instead of shifting pages.
All datetimes going in must be aware; everything coming out is aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import (
    JetshopOrder,
    OrderHeader,
    OrderStatusInfo,
    OrderStatusResult,
    OrderStatusUpdate,
    ProductChange,
)
from jetshop_hogia_provider.hooks.jetshop_results import item_key, item_problems
from jetshop_hogia_provider.hooks.jetshop_soap import (
    JetshopResponseError,
    SoapOperations,
    check_item_count,
    decode_result,
)

DEFAULT_PAGE_SIZE = codec.PAGE_SIZE_DEFAULT
STATUS_BATCH_SIZE = 100


@item_problems.register
def _status_problems(result: OrderStatusResult) -> tuple[str, ...]:
    return () if result.success else (result.message or "refused without a message",)


@item_key.register
def _status_key(result: OrderStatusResult) -> str:
    return f"order {result.order_id}"


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware (naive times are ambiguous around DST)")
    return value


def _page_size(page_size: int) -> int:
    if not codec.PAGE_SIZE_MIN <= page_size <= codec.PAGE_SIZE_MAX:
        raise ValueError(f"page_size must be {codec.PAGE_SIZE_MIN}–{codec.PAGE_SIZE_MAX}, not {page_size}")
    return page_size


def _check_progress(operation: str, previous: tuple[object, ...] | None, current: tuple[object, ...]) -> None:
    """A page must start after the previous one, or paging would loop forever on a misbehaving server."""
    if previous is not None and not current > previous:  # type: ignore[operator]
        raise JetshopResponseError("keyset did not advance between pages", operation=operation)


class JetshopOrdersMixin(SoapOperations):
    """Order, status and change-list calls of :class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`."""

    def order_statuses(self) -> tuple[OrderStatusInfo, ...]:
        """The shop's configured order statuses (ids and names)."""
        result = self.soap_call(codec.ORDER_STATUS_GET_LIST, None, idempotent=True)
        return decode_result(codec.ORDER_STATUS_GET_LIST, codec.decode_status_list, result)

    def iter_changed_orders(
        self,
        window_from: datetime,
        window_to: datetime,
        status_ids: Sequence[int] = (),
        channel_ids: Sequence[int] = (),
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[OrderHeader]:
        """Orders whose ``ChangedDate`` is in ``[window_from, window_to)``, current status in
        ``status_ids`` and channel in ``channel_ids`` (empty: all), ordered by (ChangedDate, OrderId).

        A generator: each page is fetched when the previous one is used up. Choose ``window_to`` a little
        in the past so orders still being written land in the next window, not between two.
        """
        _aware(window_from, "window_from")
        _aware(window_to, "window_to")
        if not window_from < window_to:
            raise ValueError("window_from must be before window_to")
        request = codec.OrderChangedRequest(
            changed_from=window_from,
            changed_to=window_to,
            status_ids=tuple(status_ids),
            channel_ids=tuple(channel_ids),
            page_size=_page_size(page_size),
        )
        previous: tuple[object, ...] | None = None
        while True:
            result = self.soap_call(
                codec.ORDER_GET_CHANGED_LIST, codec.encode_order_changed_request(request), idempotent=True
            )
            page = decode_result(codec.ORDER_GET_CHANGED_LIST, codec.decode_order_page, result)
            if page.orders:
                first, last = page.orders[0], page.orders[-1]
                _check_progress(codec.ORDER_GET_CHANGED_LIST, previous, (first.changed_date, first.order_id))
                previous = (last.changed_date, last.order_id)
            yield from page.orders
            if not page.has_more or not page.orders:
                return
            request = request.model_copy(
                update={"after_changed_date": last.changed_date, "after_order_id": last.order_id}
            )

    def get_order(self, order_id: int) -> JetshopOrder | None:
        """The whole order, or None when the shop has no order with that id (an empty result)."""
        result = self.soap_call(codec.ORDER_GET, codec.encode_order_request(order_id), idempotent=True)
        return decode_result(codec.ORDER_GET, codec.decode_order, result)

    def set_order_status(
        self, updates: Sequence[OrderStatusUpdate], *, batch_size: int = STATUS_BATCH_SIZE
    ) -> list[OrderStatusResult]:
        """Set statuses (with optional mail, tracking and capture); one result per update, in order.

        Idempotent per the model: setting the status an order already has succeeds and changes nothing,
        and a capture already done answers ``AlreadyCaptured``, so a retry after a lost answer is safe.
        Unknown orders come back as ``success=False`` ("Order not found"); check every result
        (:func:`~.jetshop_results.raise_for_failures`).
        """
        results: list[OrderStatusResult] = []
        for start in range(0, len(updates), max(1, batch_size)):
            batch = updates[start : start + max(1, batch_size)]
            result = self.soap_call(
                codec.ORDER_SET_STATUS, codec.encode_status_updates(batch), idempotent=True
            )
            decoded = decode_result(codec.ORDER_SET_STATUS, codec.decode_status_results, result)
            check_item_count(codec.ORDER_SET_STATUS, len(batch), len(decoded))
            if [r.order_id for r in decoded] != [u.order_id for u in batch]:
                raise JetshopResponseError(
                    "results do not match the updates' order ids", operation=codec.ORDER_SET_STATUS
                )
            results.extend(decoded)
        return results

    def iter_changed_products(
        self,
        since: datetime | None = None,
        *,
        after_article_number: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[ProductChange]:
        """Products modified at or after ``since`` (all when None), ordered by (ModifiedDate, ArticleNumber).

        To resume exactly where a previous run stopped, pass its last row's ``modified_date`` as
        ``since`` and its ``article_number`` as ``after_article_number``.
        """
        _aware(since, "since")
        request = codec.ProductChangedRequest(
            changed_since=since, after_article_number=after_article_number, page_size=_page_size(page_size)
        )
        previous: tuple[object, ...] | None = None
        while True:
            result = self.soap_call(
                codec.PRODUCT_GET_CHANGED_LIST,
                codec.encode_product_changed_request(request),
                idempotent=True,
            )
            page = decode_result(codec.PRODUCT_GET_CHANGED_LIST, codec.decode_product_change_page, result)
            if page.products:
                first, last = page.products[0], page.products[-1]
                key = (first.modified_date, first.article_number)
                _check_progress(codec.PRODUCT_GET_CHANGED_LIST, previous, key)
                previous = (last.modified_date, last.article_number)
            yield from page.products
            if not page.has_more or not page.products:
                return
            request = request.model_copy(
                update={"changed_since": last.modified_date, "after_article_number": last.article_number}
            )
