"""Shop cancellations reach Hogia the lawful way: cancel before booking, credit after — never delete.

An order cancelled in the shop whose invoice is not booked yet gets its invoice cancelled (makulerad; it
keeps its number). Once booked, the invoice gets one credit invoice that references it (FACT: 17 ch.
22–23 §§ of the VAT act). The original is always read first: already cancelled, or already credited
(``creditedBy`` on its read model) means done — that look-up is what keeps a retry after a lost answer
from posting a second credit. Nothing is re-created silently; what cannot be done automatically (the
invoice is gone, a credit refused) is settled as ``needs_person`` and flagged in the reconcile report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jetshop_hogia.apimodel.hogia_invoice_status import ReferenceKind
from jetshop_hogia.errors import (
    AmbiguousWriteError,
    PermanentError,
    TransportError,
    UnprocessableError,
    UnreadableResponseError,
)
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.order_status import FeedbackAction, FeedbackState
from jetshop_hogia.streams.order_status.planning import PlannedAction
from jetshop_hogia.streams.order_status.writing import ALREADY_DONE, REJECTED, SENT, UNSETTLED, WriteReport

CANCELLED = "invoice_cancelled"
CREDITED = "invoice_credited"


def _credit_of(invoice: Any) -> str | None:
    refs = invoice.customer_invoice_references
    return next((r.invoice_id for r in refs if r.kind is ReferenceKind.CREDITED_BY), None)


def _correct(hogia: Any, invoice_id: str, credit_date: date) -> tuple[str, str | None]:
    """Cancel or credit one invoice after reading it; (outcome, credit invoice id)."""
    invoice = hogia.get_invoice(invoice_id)
    if invoice is None:
        raise LookupError(f"invoice {invoice_id} is not in Hogia")
    if invoice.is_canceled:
        return ALREADY_DONE, None
    credit = _credit_of(invoice)
    if credit is not None:
        return ALREADY_DONE, credit
    if not invoice.is_billed:
        try:
            hogia.cancel_invoice(invoice_id)
            return CANCELLED, None
        except UnprocessableError:  # booked meanwhile: credit it instead
            pass
    try:
        return CREDITED, str(hogia.credit_invoice(invoice_id, credit_date))
    except AmbiguousWriteError:
        again = hogia.get_invoice(invoice_id)  # look before anything is posted again
        credit = _credit_of(again) if again is not None else None
        if credit is None:
            raise
        return CREDITED, credit


def apply_cancellations(
    hogia: Any, store: StateStore, tenant_id: str, actions: list[PlannedAction], run_id: str, today: date
) -> WriteReport:
    """Cancel or credit each cancelled order's invoice, once."""
    report = WriteReport()
    for action in actions:
        intent = FeedbackAction(
            action.action_key,
            action.shop_id,
            action.order_number,
            action.kind,
            action.jetshop_order_id,
            action.invoice_id,
        )
        with store.transaction() as tx:
            _, record = tx.order_status.claim(tenant_id, intent, run_id=run_id)
        if record.settled:
            report.add(action, ALREADY_DONE, state=record.state.value)
            continue
        state, values, outcome, extra = _run_one(hogia, action, today)
        with store.transaction() as tx:
            tx.order_status.settle(tenant_id, action.action_key, state, **values)
        report.add(action, outcome, **extra)
    return report


def _run_one(
    hogia: Any, action: PlannedAction, today: date
) -> tuple[FeedbackState, dict[str, Any], str, dict[str, Any]]:
    try:
        outcome, credit = _correct(hogia, str(action.invoice_id), today)
    except LookupError as error:
        return FeedbackState.NEEDS_PERSON, {"error": str(error)}, REJECTED, {"reason": "invoice_missing"}
    except (AmbiguousWriteError, UnreadableResponseError) as error:  # maybe applied: looked up next time
        return (
            FeedbackState.UNKNOWN,
            {"error": type(error).__name__},
            UNSETTLED,
            {"error": type(error).__name__},
        )
    except PermanentError as error:  # refused: a person decides
        reason = f"{type(error).__name__}: {error}"
        return FeedbackState.NEEDS_PERSON, {"error": reason}, REJECTED, {"reason": type(error).__name__}
    except TransportError as error:
        return (
            FeedbackState.UNKNOWN,
            {"error": type(error).__name__},
            UNSETTLED,
            {"error": type(error).__name__},
        )
    kept = SENT if outcome in (CANCELLED, CREDITED) else outcome
    return (
        FeedbackState.DONE,
        {"credit_invoice_id": credit},
        outcome,
        {"credit_invoice_id": credit, "result": kept},
    )
