"""Order status feedback to Jetshop *once*: a status write that is never blindly resent.

``JetshopOrdersMixin.set_order_status`` lets the transport resend after a lost answer (the model makes
a repeated status harmless). Feedback that may mail a customer or capture a payment wants more: the
caller must *look* before it sends again. :meth:`JetshopOrderStatusMixin.send_status_once` therefore
sends one update without transport retries after an ambiguous failure (``AmbiguousWriteError``), and
:meth:`JetshopOrderStatusMixin.order_status_snapshot` reads what the shop holds now (status, payment,
tracking) so the caller can tell whether the lost call was applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import OrderStatusResult, OrderStatusUpdate
from jetshop_hogia_provider.hooks.jetshop_soap import (
    JetshopResponseError,
    SoapOperations,
    check_item_count,
    decode_result,
)


@dataclass(frozen=True)
class OrderStatusSnapshot:
    """What the shop shows of an order's status and payment (no personal data)."""

    order_id: int
    order_number: str
    status_id: int
    payment_method: str | None
    payment_status: str | None
    tracking_number: str | None

    @property
    def captured(self) -> bool:
        """The payment was captured at the provider."""
        return self.payment_status == "Captured"


class JetshopOrderStatusMixin(SoapOperations):
    """Exactly-once status feedback calls of :class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`."""

    def send_status_once(self, update: OrderStatusUpdate) -> OrderStatusResult:
        """One ``Order_SetStatus`` with one update; a lost answer raises ``AmbiguousWriteError``."""
        result = self.soap_call(
            codec.ORDER_SET_STATUS, codec.encode_status_updates([update]), idempotent=False
        )
        decoded = decode_result(codec.ORDER_SET_STATUS, codec.decode_status_results, result)
        check_item_count(codec.ORDER_SET_STATUS, 1, len(decoded))
        if decoded[0].order_id != update.order_id:
            raise JetshopResponseError(
                "result does not match the update's order id", operation=codec.ORDER_SET_STATUS
            )
        return decoded[0]

    def order_status_snapshot(self, order_id: int) -> OrderStatusSnapshot | None:
        """Status, payment and tracking of one order now; None when the shop has no such order."""
        result = self.soap_call(codec.ORDER_GET, codec.encode_order_request(order_id), idempotent=True)
        order = decode_result(codec.ORDER_GET, codec.decode_order, result)
        if order is None:
            return None
        return OrderStatusSnapshot(
            order_id=order.order_id,
            order_number=order.order_number,
            status_id=order.status_id,
            payment_method=order.payment_method,
            payment_status=order.payment_status,
            tracking_number=order.tracking_number,
        )
