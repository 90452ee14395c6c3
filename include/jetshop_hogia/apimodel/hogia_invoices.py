"""Hogia Smart customer invoices: the create body (FACT shape), the read model and the totals (MODEL).

Import these from :mod:`jetshop_hogia.apimodel.hogia_smart`. ``unitPrice`` is always ex VAT, as article
prices are; a line with only ``articleNumber`` and ``quantity`` takes price and VAT from the article.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from jetshop_hogia.apimodel.hogia_amounts import LineFigures, RoundingMode, invoice_totals, line_amounts
from jetshop_hogia.apimodel.hogia_base import Entity, HogiaModel, LocalDateTime, Money, Number
from jetshop_hogia.apimodel.hogia_invoice_status import InvoiceReference

Quantity = Annotated[Number, Field(decimal_places=4)]
UnitPrice = Annotated[Number, Field(decimal_places=4)]


class CurrencyRef(HogiaModel):
    """``currency: {"code": "SEK"}`` in the create body (FACT)."""

    code: str = Field(pattern=r"^[A-Z]{3}$")


class CustomerInvoiceHeaderCreate(HogiaModel):
    """``customerInvoice`` of the create body (FACT names); ``customerOrderNumber`` is the web order."""

    customer_number: str = Field(min_length=1)
    invoice_date: date
    invoice_expiration_date: date | None = None
    customer_order_number: str | None = None
    your_reference: str | None = None
    our_reference: str | None = None
    currency: CurrencyRef | None = None
    channel_tag: str | None = None


class InvoiceLineCreate(HogiaModel):
    """A line to create; missing ``unitPrice``/``vatPercent`` are taken from the article."""

    line_type: Literal["article", "text"] = "article"
    article_number: str | None = None
    description: str | None = None
    quantity: Quantity | None = None
    unit_price: UnitPrice | None = None
    vat_percent: Number | None = None
    discount_amount: Money | None = None

    @model_validator(mode="after")
    def _complete(self) -> InvoiceLineCreate:
        if self.line_type == "article" and (not self.article_number or self.quantity is None):
            raise ValueError("an article line needs articleNumber and quantity")
        if self.line_type == "text" and not self.description:
            raise ValueError("a text line needs a description")
        return self


class CustomerInvoiceCreate(HogiaModel):
    """``POST /{org}/customerinvoices`` (FACT shape). ``sequenceId`` is *not* an idempotency key."""

    sequence_id: int | str | None = None
    customer_invoice: CustomerInvoiceHeaderCreate
    invoice_lines: list[InvoiceLineCreate] = Field(min_length=1)


class InvoiceHeader(HogiaModel):
    """``invoiceHeader`` of the read model."""

    invoice_number: int
    ocr: str
    customer_number: str
    customer_order_number: str | None = None
    invoice_date: date
    invoice_expiration_date: date
    currency_code: str
    channel_tag: str | None = None
    your_reference: str | None = None
    our_reference: str | None = None


class InvoiceLine(HogiaModel):
    """A priced line: ``lineAmount`` (ex VAT) and ``vatAmount`` rounded to öre half-up."""

    line_type: Literal["article", "text"]
    article_number: str | None = None
    description: str | None = None
    quantity: Number = Decimal(0)
    unit_price: Number = Decimal(0)
    vat_percent: Number = Decimal(0)
    discount_amount: Number = Decimal(0)
    line_amount: Number = Decimal(0)
    vat_amount: Number = Decimal(0)


class VatDistribution(HogiaModel):
    """Taxable amount and VAT per rate, as a Swedish invoice must show them (FACT)."""

    percent: Number
    net_amount: Number
    amount: Number


class InvoiceTotals(HogiaModel):
    """An invoice's totals; ``grossAmount = netAmount + vatAmount + roundingAmount``."""

    net_amount: Number
    vat_amount: Number
    rounding_amount: Number
    gross_amount: Number
    vat_distributions: list[VatDistribution]


class CustomerInvoice(InvoiceTotals, Entity):
    """The invoice read model; the status flags are set by the merchant in Hogia."""

    invoice_header: InvoiceHeader
    invoice_lines: list[InvoiceLine]
    is_delivered: bool = False
    delivered_date: date | None = None
    tracking_number: str | None = None
    is_billed: bool = False
    is_customer_paid: bool = False
    is_canceled: bool = False
    is_closed: bool = False
    amount_left_to_pay: Number
    status_changed_date: LocalDateTime | None = None
    customer_invoice_references: list[InvoiceReference] = Field(default_factory=list)
    """Credit links (``credits`` on a credit invoice, ``creditedBy`` on its original)."""


def price_line(line: InvoiceLineCreate) -> InvoiceLine:
    """Price a line whose ``unitPrice`` and ``vatPercent`` are known (text lines carry no amounts)."""
    if line.line_type == "text":
        return InvoiceLine(line_type="text", description=line.description)
    if line.quantity is None or line.unit_price is None or line.vat_percent is None:
        raise ValueError("quantity, unitPrice and vatPercent must be known to price a line")
    discount = line.discount_amount or Decimal(0)
    amount, vat = line_amounts(line.quantity, line.unit_price, discount, line.vat_percent)
    return InvoiceLine(
        line_type="article",
        article_number=line.article_number,
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        vat_percent=line.vat_percent,
        discount_amount=discount,
        line_amount=amount,
        vat_amount=vat,
    )


def compute_totals(lines: list[InvoiceLine], rounding_mode: RoundingMode) -> InvoiceTotals:
    """Totals and per-rate distributions of priced lines: :func:`~.hogia_amounts.invoice_totals` (the
    one home of Hogia's arithmetic) in the read model's shape. Text lines carry no amount."""
    totals = invoice_totals(
        (
            LineFigures(line.quantity, line.unit_price, line.discount_amount, line.vat_percent)
            for line in lines
            if line.line_type == "article"
        ),
        rounding_mode,
    )
    return InvoiceTotals(
        net_amount=totals.net,
        vat_amount=totals.vat,
        rounding_amount=totals.rounding,
        gross_amount=totals.gross,
        vat_distributions=[
            VatDistribution(percent=rate.percent, net_amount=rate.net, amount=rate.vat)
            for rate in totals.by_rate
        ],
    )
