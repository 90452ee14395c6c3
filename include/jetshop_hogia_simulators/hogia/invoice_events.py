"""The invoice status event log, cancellation and credit invoices of the Hogia simulator (MODEL).

Every state flag that turns on (delivered, billed → "invoiced", paid, cancelled) appends one event to
the company's log, whoever made the change (the merchant through the admin driver, the integration
through ``…/cancel``). A credit invoice is a new invoice in the same number series with every line
negated; original and credit reference each other (FACT: the credit must name the original
unambiguously). Nothing is ever deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from jetshop_hogia.apimodel.hogia_invoice_status import (
    InvoiceEventKind,
    InvoiceReference,
    InvoiceStatusEvent,
    ReferenceKind,
)
from jetshop_hogia.apimodel.hogia_smart import BusinessErrorCode, CustomerInvoice, compute_totals, make_ocr
from jetshop_hogia_simulators.hogia.state import CompanyStore

ErrorItem = tuple[str, str | None, str]
Flags = dict[InvoiceEventKind, bool]


def flags(invoice: CustomerInvoice) -> Flags:
    """The four event-bearing state flags of an invoice."""
    return {
        InvoiceEventKind.DELIVERED: invoice.is_delivered,
        InvoiceEventKind.INVOICED: invoice.is_billed,
        InvoiceEventKind.PAID: invoice.is_customer_paid,
        InvoiceEventKind.CANCELLED: invoice.is_canceled,
    }


def record_events(
    company: CompanyStore, invoice: CustomerInvoice, before: Flags, now: datetime
) -> list[InvoiceStatusEvent]:
    """Append one event per flag that turned on since ``before``; returns the new events."""
    after = flags(invoice)
    events = []
    for kind in InvoiceEventKind:
        if after[kind] and not before[kind]:
            event = InvoiceStatusEvent(
                event_id=len(company.status_events) + 1,
                invoice_id=invoice.id,
                invoice_number=invoice.invoice_header.invoice_number,
                customer_order_number=invoice.invoice_header.customer_order_number,
                kind=kind,
                tracking_number=invoice.tracking_number if kind is InvoiceEventKind.DELIVERED else None,
                occurred_date=now,
            )
            company.status_events.append(event)
            events.append(event)
    return events


def events_page(
    company: CompanyStore,
    after_event_id: int | None,
    occurred_from: datetime | None,
    occurred_to: datetime | None,
) -> list[InvoiceStatusEvent]:
    """Events after the cursor and/or in ``[occurred_from, occurred_to)``, ascending by ``eventId``."""
    return [
        event
        for event in company.status_events
        if (after_event_id is None or event.event_id > after_event_id)
        and (occurred_from is None or event.occurred_date >= occurred_from)
        and (occurred_to is None or event.occurred_date < occurred_to)
    ]


def cancel_problems(invoice: CustomerInvoice) -> list[ErrorItem]:
    """Why ``invoice`` cannot be cancelled (FACT: only before it is booked), or nothing."""
    if invoice.is_billed:
        return [
            (
                BusinessErrorCode.INVALID_STATUS_CHANGE,
                "canceled",
                "A booked invoice is credited, not cancelled.",
            )
        ]
    return []


def credit_problems(invoice: CustomerInvoice) -> list[ErrorItem]:
    """Why ``invoice`` cannot be credited: not booked yet (cancel it), cancelled, or itself a credit."""
    scope = "customerInvoiceId"
    if invoice.is_canceled:
        return [(BusinessErrorCode.INVALID_STATUS_CHANGE, scope, "A cancelled invoice cannot be credited.")]
    if not invoice.is_billed:
        return [
            (
                BusinessErrorCode.INVALID_STATUS_CHANGE,
                scope,
                "An unbooked invoice is cancelled, not credited.",
            )
        ]
    if any(ref.kind is ReferenceKind.CREDITS for ref in invoice.customer_invoice_references):
        return [(BusinessErrorCode.INVALID_STATUS_CHANGE, scope, "A credit invoice cannot be credited.")]
    return []


def build_credit(
    company: CompanyStore, original: CustomerInvoice, credit_date: date, now: datetime
) -> CustomerInvoice:
    """A booked credit invoice negating ``original``; links both ways (the original is touched)."""
    lines = [
        line.model_copy(
            update={
                "quantity": -line.quantity,
                "discount_amount": -line.discount_amount,
                "line_amount": -line.line_amount,
                "vat_amount": -line.vat_amount,
            }
        )
        for line in original.invoice_lines
    ]
    totals = compute_totals(lines, company.company.rounding_mode)
    number = company.allocate_invoice_number()
    header = original.invoice_header.model_copy(
        update={
            "invoice_number": number,
            "ocr": make_ocr(number),
            "customer_order_number": None,  # the order's one invoice stays the original
            "invoice_date": credit_date,
            "invoice_expiration_date": credit_date,
            "your_reference": f"Kredit av faktura {original.invoice_header.invoice_number}",
        }
    )
    credit = CustomerInvoice(
        **company.new_entity_fields(now),
        **totals.model_dump(),
        invoice_header=header,
        invoice_lines=lines,
        is_billed=True,
        is_closed=True,
        amount_left_to_pay=Decimal(0),
        customer_invoice_references=[
            InvoiceReference(
                kind=ReferenceKind.CREDITS,
                invoice_id=original.id,
                invoice_number=original.invoice_header.invoice_number,
            )
        ],
    )
    original.customer_invoice_references.append(
        InvoiceReference(kind=ReferenceKind.CREDITED_BY, invoice_id=credit.id, invoice_number=number)
    )
    original.is_closed = True
    original.amount_left_to_pay = Decimal(0)
    company.touch(original, now)
    company.invoices[credit.id] = credit
    return credit
