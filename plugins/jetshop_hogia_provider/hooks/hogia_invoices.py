"""Customer invoices in Hogia Smart: create, find by web order number, read back for status.

Hogia honours no idempotency key (MODEL, as every Nordic peer): the same body posted twice is two
invoices with two numbers, and an invoice is never deleted (FACT). :meth:`HogiaInvoicesMixin.create_invoice`
is therefore a bare POST (a lost answer raises ``AmbiguousWriteError``); creating an invoice *at most
once* — look the order up by ``customerOrderNumber`` after a lost answer, record the outcome — is done in
one place only, the order stream's ``jetshop_hogia.streams.orders.pushing.push_invoice``, on top of
:meth:`~HogiaInvoicesMixin.create_invoice` and :meth:`~HogiaInvoicesMixin.find_invoices_by_order_number`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, CustomerInvoiceCreate
from jetshop_hogia_provider.hooks.hogia_changes import HogiaChangesMixin
from jetshop_hogia_provider.hooks.hogia_rest import entity_id, parse_model, parse_new_id, wire_body
from jetshop_hogia_provider.transport import PermanentError

CREATE = "customerinvoices.create"


class SeveralInvoicesForOrderError(PermanentError):
    """One web order has more than one invoice in Hogia: a person must cancel or credit the extras.

    Never retried: creating yet another one cannot help. ``invoices`` are the ones found. (The state
    store's ``DuplicateInvoiceError`` is another thing: the ledger refusing a second invoice id.)
    """

    def __init__(self, order_number: str, invoices: list[CustomerInvoice]) -> None:
        named = ", ".join(
            f"#{inv.invoice_header.invoice_number} (id {inv.id}{', cancelled' if inv.is_canceled else ''})"
            for inv in invoices
        )
        super().__init__(
            f"web order {order_number} has {len(invoices)} invoices in Hogia Smart: {named}; "
            "cancel or credit the extra ones, then record the right one",
            operation="customerinvoices.find",
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
        ``AmbiguousWriteError`` (the order stream's ``push_invoice`` then looks the order up).
        Unknown customer/article → 422."""
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
        """The one invoice of a web order, None if none; :class:`SeveralInvoicesForOrderError` if several."""
        found = self.find_invoices_by_order_number(order_number)
        if len(found) > 1:
            raise SeveralInvoicesForOrderError(order_number, found)
        return found[0] if found else None

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
