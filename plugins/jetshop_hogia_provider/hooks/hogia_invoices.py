"""Customer invoices in Hogia Smart: created exactly once per web order, then read back for status.

Hogia honours no idempotency key (MODEL, as every Nordic peer): the same body posted twice is two
invoices with two numbers, and an invoice is never deleted (FACT). The web order number goes into
``customerOrderNumber`` and is searchable, which is the natural key :meth:`create_invoice_once` uses to
find out whether a create whose answer was lost had been applied. See :mod:`.hogia_create_once`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, CustomerInvoiceCreate
from jetshop_hogia_provider.hooks.hogia_changes import HogiaChangesMixin
from jetshop_hogia_provider.hooks.hogia_create_once import DEFAULT_MAX_ATTEMPTS, create_once
from jetshop_hogia_provider.hooks.hogia_rest import entity_id, parse_model, parse_new_id, wire_body
from jetshop_hogia_provider.transport import PermanentError

CREATE = "customerinvoices.create"


class DuplicateInvoiceError(PermanentError):
    """One web order has more than one invoice in Hogia: a person must cancel or credit the extras.

    Never retried: creating yet another one cannot help. ``invoices`` are the ones found.
    """

    def __init__(self, order_number: str, invoices: list[CustomerInvoice]) -> None:
        named = ", ".join(
            f"#{inv.invoice_header.invoice_number} (id {inv.id}{', cancelled' if inv.is_canceled else ''})"
            for inv in invoices
        )
        super().__init__(
            f"web order {order_number} has {len(invoices)} invoices in Hogia Smart: {named}; "
            "cancel or credit the extra ones, then record the right one",
            operation="customerinvoices.create_once",
        )
        self.order_number = order_number
        self.invoices = invoices


class InvoiceStatus(BaseModel):
    """What the shop is told about an invoice: delivered, billed, paid or cancelled, and since when."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    invoice_number: int
    customer_order_number: str | None
    row_version: int
    delivered: bool
    delivered_date: date | None
    tracking_number: str | None
    billed: bool
    paid: bool
    canceled: bool
    closed: bool
    amount_left_to_pay: Decimal
    status_changed_date: datetime | None
    """Aware UTC (Hogia writes naive Stockholm time)."""

    @classmethod
    def of(cls, invoice: CustomerInvoice) -> InvoiceStatus:
        """The status part of an invoice read model."""
        return cls(
            invoice_id=invoice.id,
            invoice_number=invoice.invoice_header.invoice_number,
            customer_order_number=invoice.invoice_header.customer_order_number,
            row_version=invoice.row_version,
            delivered=invoice.is_delivered,
            delivered_date=invoice.delivered_date,
            tracking_number=invoice.tracking_number,
            billed=invoice.is_billed,
            paid=invoice.is_customer_paid,
            canceled=invoice.is_canceled,
            closed=invoice.is_closed,
            amount_left_to_pay=invoice.amount_left_to_pay,
            status_changed_date=invoice.status_changed_date,
        )


class HogiaInvoicesMixin(HogiaChangesMixin):
    """Invoice calls of :class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`."""

    def create_invoice(self, body: CustomerInvoiceCreate) -> str:
        """POST one invoice, return its id. Never retried after a lost answer: that raises
        ``AmbiguousWriteError`` (use :meth:`create_invoice_once`). Unknown customer/article → 422."""
        payload = self.request_json(
            "POST", "customerinvoices", json_body=wire_body(body, omit_none=True), operation=CREATE
        )
        return parse_new_id(payload, operation=CREATE)

    def find_invoices_by_order_number(self, order_number: str) -> list[CustomerInvoice]:
        """Every invoice whose ``customerOrderNumber`` is exactly ``order_number``, by invoice number."""
        return list(
            self.iter_models(
                CustomerInvoice, "customerinvoices", params={"customerOrderNumber": order_number}
            )
        )

    def iter_invoices_by_date(self, date_from: date, date_to: date) -> Iterator[CustomerInvoice]:
        """Every invoice whose ``invoiceDate`` lies in ``[date_from, date_to]`` (both inclusive), 500 a page.

        Reconciliation has to see every invoice of a run window; one look-up per order would spend one
        rate-limited call per order. The list may change while it is read (an invoice created meanwhile
        can shift a page): callers that need certainty for one order look it up by order number too.
        """
        if date_to < date_from:
            raise ValueError(f"date_to {date_to} is before date_from {date_from}")
        params = {"invoiceDateFrom": date_from.isoformat(), "invoiceDateTo": date_to.isoformat()}
        return self.iter_models(CustomerInvoice, "customerinvoices", params=params)

    def find_invoice_for_order(self, order_number: str) -> CustomerInvoice | None:
        """The one invoice of a web order, None if none; :class:`DuplicateInvoiceError` if several."""
        found = self.find_invoices_by_order_number(order_number)
        if len(found) > 1:
            raise DuplicateInvoiceError(order_number, found)
        return found[0] if found else None

    def create_invoice_once(
        self,
        body: CustomerInvoiceCreate,
        *,
        previous_attempt_possible: bool = False,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> str:
        """The id of the web order's invoice, created at most once (keyed by ``customerOrderNumber``).

        ``previous_attempt_possible``: look the order up before creating (set it when your state shows
        an attempt that never recorded its result). After a lost answer the order is looked up; found →
        its id; not found → created again, at most ``max_attempts`` times in all, then
        :class:`~.hogia_create_once.NotCreatedError`. More than one invoice for the order →
        :class:`DuplicateInvoiceError` naming them. Store the returned id before doing anything else.
        """
        order_number = body.customer_invoice.customer_order_number
        if not order_number:
            raise ValueError(
                "create_invoice_once needs customerInvoice.customerOrderNumber (its natural key)"
            )

        def look_up() -> str | None:
            invoice = self.find_invoice_for_order(order_number)
            return invoice.id if invoice is not None else None

        return create_once(
            lambda: self.create_invoice(body),
            look_up,
            operation=CREATE,
            max_attempts=max_attempts,
            look_up_first=previous_attempt_possible,
        )

    def get_invoice(self, invoice_id: str | uuid.UUID) -> CustomerInvoice | None:
        """One invoice by id (None when there is none)."""
        path = f"customerinvoices/{entity_id(invoice_id)}"
        payload = self.get_json_or_none(path, operation="customerinvoices.get")
        return (
            None
            if payload is None
            else parse_model(CustomerInvoice, payload, operation="customerinvoices.get")
        )

    def invoice_status(self, invoice_id: str | uuid.UUID) -> InvoiceStatus | None:
        """Delivered / billed / paid / cancelled, tracking number and ``statusChangedDate`` of one invoice."""
        invoice = self.get_invoice(invoice_id)
        return InvoiceStatus.of(invoice) if invoice is not None else None

    def iter_invoice_status_changes(self, last_known_row_version: int) -> Iterator[InvoiceStatus]:
        """Status of every invoice changed after the watermark (creations included), ascending."""
        for invoice in self.iter_changes("customerinvoices", last_known_row_version):
            yield InvoiceStatus.of(invoice)
