"""Turning a create body into a stored invoice, the way Hogia Smart books it (MODEL).

A line with only ``articleNumber`` and ``quantity`` gets the article's price (its campaign price when the
campaign runs on the invoice date and the invoice is in the company currency) and the VAT percent of the
article's VAT code *on the invoice date* — so the same food article is 12 % on 2026-03-31 and 6 % on
2026-04-01. Every business-rule problem of the body is collected into one 422 answer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from jetshop_hogia.apimodel.hogia_smart import (
    BusinessErrorCode,
    CustomerInvoice,
    CustomerInvoiceCreate,
    InvoiceHeader,
    InvoiceLineCreate,
    Module,
    compute_totals,
    make_ocr,
    price_line,
    vat_percent,
)
from jetshop_hogia.vat import rates_on
from jetshop_hogia_simulators.hogia.state import CompanyStore

ErrorItem = tuple[str, str | None, str]


def _resolve_line(
    company: CompanyStore, line: InvoiceLineCreate, index: int, body: CustomerInvoiceCreate, currency: str
) -> tuple[InvoiceLineCreate, list[ErrorItem]]:
    """Fill in price, VAT and description from the article; report what cannot be filled in."""
    if line.line_type == "text" or line.article_number is None:
        return line, []
    scope = f"invoiceLines[{index}]"
    article = company.article_by_number(line.article_number)
    if article is None:
        message = f"Article {line.article_number} does not exist."
        return line, [(BusinessErrorCode.ARTICLE_NOT_FOUND, f"{scope}.articleNumber", message)]
    errors: list[ErrorItem] = []
    invoice_date = body.customer_invoice.invoice_date
    unit_price = line.unit_price
    if unit_price is None:
        campaign = article.campaign_price
        if (
            campaign is not None
            and campaign.applies_on(invoice_date)
            and currency == company.company.currency_code
        ):
            unit_price = campaign.price
        else:
            unit_price = article.price_in(currency)
        if unit_price is None:
            message = f"Article {article.number} has no price in {currency}."
            errors.append((BusinessErrorCode.PRICE_MISSING, f"{scope}.unitPrice", message))
    percent = line.vat_percent
    if percent is None:
        try:
            percent = vat_percent(article.vat_code, invoice_date)
        except KeyError:
            message = f"Article {article.number} has an unknown VAT code {article.vat_code}."
            errors.append((BusinessErrorCode.UNKNOWN_VAT_CODE, f"{scope}.vatPercent", message))
    elif Decimal(percent) / 100 not in rates_on(invoice_date):
        message = f"{percent} % is not a VAT rate on {invoice_date.isoformat()}."
        errors.append((BusinessErrorCode.INVALID_VAT_PERCENT, f"{scope}.vatPercent", message))
    resolved = line.model_copy(
        update={
            "unit_price": unit_price,
            "vat_percent": percent,
            "description": line.description or article.name,
        }
    )
    return resolved, errors


def build_invoice(
    company: CompanyStore, body: CustomerInvoiceCreate, now: datetime
) -> CustomerInvoice | list[ErrorItem]:
    """The invoice to store, or the business-rule errors (nothing is allocated when there are errors)."""
    if Module.FAKTURERING.value not in company.company.modules:
        return [
            (BusinessErrorCode.MODULE_NOT_ACTIVE, "company.modules", "The Fakturering module is not active.")
        ]
    header = body.customer_invoice
    errors: list[ErrorItem] = []
    customer = company.contact_by_number(header.customer_number)
    if customer is None:
        message = f"Customer {header.customer_number} does not exist."
        errors.append((BusinessErrorCode.CUSTOMER_NOT_FOUND, "customerInvoice.customerNumber", message))
    currency = (
        header.currency.code
        if header.currency is not None
        else (customer.customer.selected_currency_code if customer else company.company.currency_code)
    )
    resolved: list[InvoiceLineCreate] = []
    for index, line in enumerate(body.invoice_lines):
        filled, line_errors = _resolve_line(company, line, index, body, currency)
        resolved.append(filled)
        errors.extend(line_errors)
    if errors or customer is None:
        return errors
    lines = [price_line(line) for line in resolved]
    totals = compute_totals(lines, company.company.rounding_mode)
    number = company.allocate_invoice_number()
    terms = timedelta(days=customer.customer.payment_terms)
    return CustomerInvoice(
        **company.new_entity_fields(now),
        **totals.model_dump(),
        invoice_header=InvoiceHeader(
            invoice_number=number,
            ocr=make_ocr(number),
            customer_number=customer.number,
            customer_order_number=header.customer_order_number,
            invoice_date=header.invoice_date,
            invoice_expiration_date=header.invoice_expiration_date or header.invoice_date + terms,
            currency_code=currency,
            channel_tag=header.channel_tag,
            your_reference=header.your_reference,
            our_reference=header.our_reference,
        ),
        invoice_lines=lines,
        amount_left_to_pay=totals.gross_amount,
    )


def apply_status(invoice: CustomerInvoice, change: dict[str, object], today: date) -> list[ErrorItem]:
    """Apply a merchant's status change; refuse what Swedish practice forbids (FACT: cancel before booking).

    ``change`` holds only the keys the merchant sent: delivered, trackingNumber, billed, paid, canceled.
    """
    billed = bool(change.get("billed", invoice.is_billed))
    canceled = bool(change.get("canceled", invoice.is_canceled))
    errors: list[ErrorItem] = []
    if change.get("canceled") and billed:
        message = "A booked invoice is credited, not cancelled."
        errors.append((BusinessErrorCode.INVALID_STATUS_CHANGE, "canceled", message))
    elif canceled and (change.get("paid") or change.get("billed")):
        message = "A cancelled invoice cannot be booked or paid."
        errors.append((BusinessErrorCode.INVALID_STATUS_CHANGE, "canceled", message))
    if errors:
        return errors
    if "delivered" in change:
        invoice.is_delivered = bool(change["delivered"])
        invoice.delivered_date = today if invoice.is_delivered else None
    if "trackingNumber" in change:
        invoice.tracking_number = str(change["trackingNumber"]) if change["trackingNumber"] else None
    invoice.is_billed = billed
    invoice.is_customer_paid = bool(change.get("paid", invoice.is_customer_paid))
    invoice.is_canceled = canceled
    settled = invoice.is_customer_paid or invoice.is_canceled
    invoice.amount_left_to_pay = Decimal(0) if settled else invoice.gross_amount
    invoice.is_closed = settled
    return []
