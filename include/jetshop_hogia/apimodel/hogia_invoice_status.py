"""Hogia Smart invoice status events, cancellation and credit invoices (MODEL — docs/API_MODEL.md).

The reference says the four invoice states (delivered, invoiced, paid, cancelled) are visible through
change polling with their time (MODEL); it does not say how. This module is the model of it: each time a
state flag of an invoice turns on, the company's event log gets one :class:`InvoiceStatusEvent` with a
running ``eventId`` (the cursor) and ``occurredDate`` (for a time window). A client reads the log
``…/customerinvoices/statusevents?afterEventId=N`` or ``?occurredFrom=…&occurredTo=…`` — never by
scanning every invoice. Swedish law (FACT): an invoice is cancelled only before it is booked; after
that it is credited by a credit invoice that references the original, and both read models show the link.
"""

from __future__ import annotations

import enum
from datetime import date

from pydantic import Field

from jetshop_hogia.apimodel.hogia_base import HogiaModel, LocalDateTime


class InvoiceEventKind(enum.StrEnum):
    """What happened to an invoice (seed: Levererad, Fakturerad, Betald, Makulerad)."""

    DELIVERED = "delivered"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


class InvoiceStatusEvent(HogiaModel):
    """One state change of one invoice; ``eventId`` runs per company and is never reused."""

    event_id: int = Field(ge=1)
    invoice_id: str
    invoice_number: int
    customer_order_number: str | None = None
    kind: InvoiceEventKind
    tracking_number: str | None = None
    occurred_date: LocalDateTime


class ReferenceKind(enum.StrEnum):
    """Which side of a credit link an invoice is on."""

    CREDITS = "credits"
    """This (credit) invoice credits the referenced original."""
    CREDITED_BY = "creditedBy"
    """This original is credited by the referenced credit invoice."""


class InvoiceReference(HogiaModel):
    """``customerInvoiceReferences[]``: the unambiguous link between an original and its credit (FACT)."""

    kind: ReferenceKind
    invoice_id: str
    invoice_number: int


class CreditInvoiceCreate(HogiaModel):
    """``POST /{org}/customerinvoices/{id}/credit``: credit the whole invoice (no idempotency key)."""

    credit_date: date
    sequence_id: int | str | None = None


STATUS_EVENTS_PATH = "customerinvoices/statusevents"
"""Relative path of the event log under ``/{organisationId}/``."""
