"""The order status feedback ledger: each feedback action on an order happens at most once.

An *action* is a Hogia invoice status event sent to the shop (``event:<eventId>``) or a shop
cancellation applied to the order's invoice (``shop-cancel:<shop>:<order number>``). The row is written
(state ``claimed``) and committed *before* the external call; after the call it becomes ``done``, or
``unknown`` when the answer was lost. A row found ``claimed`` or ``unknown`` by a later attempt means the
earlier call may have been applied: the caller looks the target up before it sends anything again.

Capture is at most once per *order*, across events: :meth:`OrderStatusLedger.capture_taken` says whether
any action of the order already asked for it. E-mail is at most once per event because the event's
action is sent at most once (a resend happens only after a look-up proved the first was not applied).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, select, update

from jetshop_hogia.state.ledger_intake import clip
from jetshop_hogia.state.models import OrderLedgerRow, OrderStatusFeedbackRow, order_status_feedback
from jetshop_hogia.state.records import OrderKey
from jetshop_hogia.state.sqlhelpers import insert_if_absent
from jetshop_hogia.state.transitions import OrderState

F = OrderStatusFeedbackRow
ORDER_STATUS_STREAM = "order_status"


class FeedbackState(enum.StrEnum):
    """Where one feedback action is."""

    CLAIMED = "claimed"
    """Written before the call; the call may or may not have happened."""
    DONE = "done"
    UNKNOWN = "unknown"
    """The answer was lost and a look-up could not settle it yet."""
    NEEDS_PERSON = "needs_person"
    """Nothing automatic is allowed (e.g. a credit with no invoice to credit); reported for a person."""


@dataclass(frozen=True)
class FeedbackAction:
    """What one action is meant to do (the claim)."""

    action_key: str
    shop_id: str
    order_number: str
    kind: str
    jetshop_order_id: int | None = None
    invoice_id: str | None = None
    target_status_id: int | None = None
    mail_requested: bool = False
    capture_requested: bool = False


@dataclass(frozen=True)
class FeedbackRecord:
    """A snapshot of one feedback row."""

    action: FeedbackAction
    state: FeedbackState
    capture_result: str | None
    credit_invoice_id: str | None
    attempts: int
    last_error: str | None
    run_id: str | None

    @property
    def settled(self) -> bool:
        """Nothing more to send for this action."""
        return self.state in (FeedbackState.DONE, FeedbackState.NEEDS_PERSON)


def _record(row: Row[Any]) -> FeedbackRecord:
    action = FeedbackAction(
        row.action_key,
        row.shop_id,
        row.order_number,
        row.kind,
        row.jetshop_order_id,
        row.invoice_id,
        row.target_status_id,
        row.mail_requested,
        row.capture_requested,
    )
    return FeedbackRecord(
        action,
        FeedbackState(row.state),
        row.capture_result,
        row.credit_invoice_id,
        row.attempts,
        row.last_error,
        row.run_id,
    )


class OrderStatusLedger:
    """Feedback rows of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def get(self, tenant_id: str, action_key: str) -> FeedbackRecord | None:
        """The row of one action, if any attempt ever claimed it."""
        row = self._connection.execute(
            select(order_status_feedback).where(F.tenant_id == tenant_id, F.action_key == action_key)
        ).first()
        return _record(row) if row is not None else None

    def claim(self, tenant_id: str, action: FeedbackAction, *, run_id: str) -> tuple[bool, FeedbackRecord]:
        """Record the intent before the call. ``(True, row)`` for a fresh claim; ``(False, row)`` when an
        earlier attempt already claimed it (settled, or to be looked up before anything is resent)."""
        now = self._now()
        values = {
            "tenant_id": tenant_id,
            "action_key": action.action_key,
            "shop_id": action.shop_id,
            "order_number": action.order_number,
            "jetshop_order_id": action.jetshop_order_id,
            "invoice_id": action.invoice_id,
            "kind": action.kind,
            "state": FeedbackState.CLAIMED.value,
            "target_status_id": action.target_status_id,
            "mail_requested": action.mail_requested,
            "capture_requested": action.capture_requested,
            "attempts": 1,
            "run_id": run_id,
            "created_at": now,
            "updated_at": now,
        }
        fresh = insert_if_absent(self._connection, order_status_feedback, values, ["tenant_id", "action_key"])
        if not fresh:
            self._connection.execute(
                update(order_status_feedback)
                .where(F.tenant_id == tenant_id, F.action_key == action.action_key)
                .values(attempts=F.attempts + 1, run_id=run_id, updated_at=now)
            )
        record = self.get(tenant_id, action.action_key)
        assert record is not None  # written just above in this transaction
        return fresh, record

    def settle(
        self,
        tenant_id: str,
        action_key: str,
        state: FeedbackState,
        *,
        capture_result: str | None = None,
        credit_invoice_id: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record the outcome of the call (or of the look-up after a lost answer)."""
        values: dict[str, Any] = {"state": state.value, "updated_at": self._now(), "last_error": None}
        if capture_result is not None:
            values["capture_result"] = capture_result
        if credit_invoice_id is not None:
            values["credit_invoice_id"] = credit_invoice_id
        if error is not None:
            values["last_error"] = clip(error)
        self._connection.execute(
            update(order_status_feedback)
            .where(F.tenant_id == tenant_id, F.action_key == action_key)
            .values(**values)
        )

    def capture_taken(self, tenant_id: str, shop_id: str, order_number: str) -> bool:
        """Some action of this order already asked for the capture (whatever its outcome)."""
        row = self._connection.execute(
            select(F.id).where(
                F.tenant_id == tenant_id,
                F.shop_id == shop_id,
                F.order_number == order_number,
                F.capture_requested.is_(True),
            )
        ).first()
        return row is not None

    def of_run(self, tenant_id: str, run_id: str) -> list[FeedbackRecord]:
        """The rows the run last touched (reconcile reads them)."""
        rows = self._connection.execute(
            select(order_status_feedback).where(F.tenant_id == tenant_id, F.run_id == run_id).order_by(F.id)
        )
        return [_record(row) for row in rows]

    def of_order(self, tenant_id: str, shop_id: str, order_number: str) -> list[FeedbackRecord]:
        """Every action of one order, oldest first."""
        rows = self._connection.execute(
            select(order_status_feedback)
            .where(F.tenant_id == tenant_id, F.shop_id == shop_id, F.order_number == order_number)
            .order_by(F.id)
        )
        return [_record(row) for row in rows]

    def order_for_invoice(self, tenant_id: str, invoice_id: str) -> tuple[OrderKey, int | None] | None:
        """The ledger's order whose Hogia invoice is ``invoice_id`` (and its Jetshop order id), if known."""
        L = OrderLedgerRow
        row = self._connection.execute(
            select(L.tenant_id, L.shop_id, L.order_number, L.jetshop_order_id).where(
                and_(L.tenant_id == tenant_id, L.hogia_invoice_id == invoice_id)
            )
        ).first()
        if row is None:
            return None
        return OrderKey(row.tenant_id, row.shop_id, row.order_number), row.jetshop_order_id

    def pushed_orders_first_seen(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[tuple[OrderKey, int | None]]:
        """Invoiced orders first seen in ``[start, end)`` with no capture asked yet: the orders whose card
        or Klarna authorisation may run out before anyone delivers them."""
        L = OrderLedgerRow
        rows = self._connection.execute(
            select(L.tenant_id, L.shop_id, L.order_number, L.jetshop_order_id).where(
                L.tenant_id == tenant_id,
                L.state == OrderState.PUSHED.value,
                L.created_at >= start,
                L.created_at < end,
            )
        )
        found = []
        for row in rows:
            if not self.capture_taken(row.tenant_id, row.shop_id, row.order_number):
                found.append((OrderKey(row.tenant_id, row.shop_id, row.order_number), row.jetshop_order_id))
        return found
