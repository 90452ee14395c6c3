"""Write: each planned status action reaches the shop exactly once, through the feedback ledger.

Per action: claim (committed before the call) → send one ``Order_SetStatus`` with no transport resend →
settle. A fresh claim sends. A row an earlier attempt left ``claimed``/``unknown`` is *looked up first*
(``Order_Get``): if the shop already shows the status (and the capture, when one was asked), the lost
call was applied and nothing is sent again — so the customer gets one e-mail and the payment one capture.
The capture is asked at most once per order: a second ``delivered`` event of the same order goes without.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from jetshop_hogia.errors import AmbiguousWriteError, PermanentError, TransportError, UnreadableResponseError
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.order_status import FeedbackAction, FeedbackRecord, FeedbackState
from jetshop_hogia.streams.order_status.planning import PlannedAction

log = logging.getLogger(__name__)

SENT = "sent"
ALREADY_DONE = "already_done"
CONFIRMED_AFTER_LOST_ANSWER = "confirmed_after_lost_answer"
REJECTED = "rejected"
UNSETTLED = "unsettled"


@dataclass
class WriteReport:
    """One line per action, and the counts."""

    lines: list[dict[str, Any]] = field(default_factory=list)

    def add(self, action: PlannedAction, outcome: str, **extra: Any) -> None:
        self.lines.append(
            {
                "action_key": action.action_key,
                "order_number": action.order_number,
                "outcome": outcome,
                **extra,
            }
        )

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line["outcome"]] = counts.get(line["outcome"], 0) + 1
        return counts

    @property
    def unsettled(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if line["outcome"] == UNSETTLED]


def _claim(
    store: StateStore, tenant_id: str, action: PlannedAction, run_id: str
) -> tuple[bool, FeedbackRecord]:
    """Claim the action; a fresh claim decides the capture now (at most once per order)."""
    with store.transaction() as tx:
        existing = tx.order_status.get(tenant_id, action.action_key)
        capture = action.capture
        if existing is None and capture:
            capture = not tx.order_status.capture_taken(tenant_id, action.shop_id, action.order_number)
        intent = FeedbackAction(
            action.action_key,
            action.shop_id,
            action.order_number,
            action.kind,
            action.jetshop_order_id,
            action.invoice_id,
            action.status_id,
            action.send_mail,
            capture,
        )
        return tx.order_status.claim(tenant_id, intent, run_id=run_id)


def _applied(snapshot: Any, intent: FeedbackAction, tracking: str | None) -> bool:
    """The shop shows what the action asked for (read after a lost answer)."""
    if snapshot is None or snapshot.status_id != intent.target_status_id:
        return False
    if tracking is not None and snapshot.tracking_number != tracking:
        return False
    capturable = snapshot.payment_method in ("Klarna", "DIBS")
    return not (intent.capture_requested and capturable and not snapshot.captured)


def send_action(
    jetshop: Any, store: StateStore, tenant_id: str, action: PlannedAction, run_id: str
) -> tuple[str, dict[str, Any]]:
    """Bring one action to a settled state if possible; returns the outcome and details for the report."""
    from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate

    fresh, record = _claim(store, tenant_id, action, run_id)
    intent = record.action
    if record.settled:
        return ALREADY_DONE, {"state": record.state.value}
    try:
        if not fresh:
            snapshot = jetshop.order_status_snapshot(action.jetshop_order_id)
            if _applied(snapshot, intent, action.tracking_number):
                result = "Captured" if intent.capture_requested and snapshot.captured else None
                _settle(store, tenant_id, action, FeedbackState.DONE, capture_result=result)
                return CONFIRMED_AFTER_LOST_ANSWER, {"capture": intent.capture_requested}
        update = OrderStatusUpdate(
            order_id=action.jetshop_order_id,
            status_id=action.status_id or 0,
            send_mail_to_customer=intent.mail_requested,
            tracking_number=action.tracking_number,
            capture_payment=intent.capture_requested,
        )
        try:
            answer = jetshop.send_status_once(update)
        except AmbiguousWriteError:
            snapshot = jetshop.order_status_snapshot(action.jetshop_order_id)  # look before any resend
            if _applied(snapshot, intent, action.tracking_number):
                _settle(
                    store,
                    tenant_id,
                    action,
                    FeedbackState.DONE,
                    capture_result="Captured" if intent.capture_requested and snapshot.captured else None,
                )
                return CONFIRMED_AFTER_LOST_ANSWER, {"capture": intent.capture_requested}
            raise
    except UnreadableResponseError as error:  # may have been applied: looked up on the retry
        _settle(store, tenant_id, action, FeedbackState.UNKNOWN, error=f"{type(error).__name__}: {error}")
        return UNSETTLED, {"error": type(error).__name__}
    except PermanentError as error:  # refused, not applied: retrying cannot help
        _settle(
            store, tenant_id, action, FeedbackState.NEEDS_PERSON, error=f"{type(error).__name__}: {error}"
        )
        return REJECTED, {"error": type(error).__name__}
    except TransportError as error:
        _settle(store, tenant_id, action, FeedbackState.UNKNOWN, error=f"{type(error).__name__}: {error}")
        return UNSETTLED, {"error": type(error).__name__}
    if not answer.success:
        message = answer.message or "rejected"
        _settle(store, tenant_id, action, FeedbackState.NEEDS_PERSON, error=f"Jetshop: {message}")
        return REJECTED, {"message": message}
    capture_result = answer.capture_result.value if intent.capture_requested else None
    _settle(store, tenant_id, action, FeedbackState.DONE, capture_result=capture_result)
    return SENT, {"mail": intent.mail_requested, "capture": capture_result}


def _settle(
    store: StateStore, tenant_id: str, action: PlannedAction, state: FeedbackState, **values: Any
) -> None:
    with store.transaction() as tx:
        tx.order_status.settle(tenant_id, action.action_key, state, **values)


def write_actions(
    jetshop_for: Any, store: StateStore, tenant_id: str, actions: list[PlannedAction], run_id: str
) -> WriteReport:
    """Send every status action (per shop hook); cancellations are handled by ``cancelling``."""
    report = WriteReport()
    for action in actions:
        outcome, extra = send_action(jetshop_for(action.shop_id), store, tenant_id, action, run_id)
        report.add(action, outcome, **extra)
    log.info("status feedback: %s", report.counts())
    return report
