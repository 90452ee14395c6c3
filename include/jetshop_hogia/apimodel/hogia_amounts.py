"""Hogia Smart amount rules (MODEL) and OCR references (FACT), free of any wire model.

Rows are rounded to öre half-up, VAT is computed per row, and a company may round the gross total to
whole krona (01–49 öre down, 50–99 up, FACT practice) reporting the difference as ``roundingAmount``.
The transform uses the same functions to predict what Hogia will book, so 1-öre differences between
shop and ledger are found before an invoice is sent, not after.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal

OERE = Decimal("0.01")
KRONA = Decimal("1")
HUNDRED = Decimal(100)


class RoundingMode(enum.StrEnum):
    """The company's "Avrundning" setting, applied to the invoice total incl. VAT only."""

    NONE = "none"
    WHOLE_KRONA = "wholeKrona"


def round_money(value: Decimal, unit: Decimal = OERE) -> Decimal:
    """Round half-up (away from zero for negatives, so a credit mirrors its invoice) to ``unit``."""
    return value.quantize(unit, rounding=ROUND_HALF_UP)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount_amount: Decimal, vat_percent: Decimal
) -> tuple[Decimal, Decimal]:
    """(lineAmount ex VAT, vatAmount) of one article line, each rounded to öre half-up."""
    amount = round_money(quantity * unit_price - discount_amount)
    return amount, round_money(amount * vat_percent / HUNDRED)


def ex_vat_price(price_inc_vat: Decimal, vat_percent: Decimal) -> Decimal:
    """The ex-VAT price Hogia keeps for a shop price incl. VAT, in öre."""
    return round_money(price_inc_vat / (1 + vat_percent / HUNDRED))


def luhn_check_digit(payload: str) -> str:
    """The Luhn (mod 10) digit that makes ``payload + digit`` pass the check."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:  # the digit next to the check digit is doubled
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def make_ocr(invoice_number: int) -> str:
    """OCR reference: invoice number + length digit + Luhn check digit (FACT: Bankgirot's variable OCR).

    The length digit is the full reference length (number + 2) modulo 10, so a mistyped reference of
    another length is refused by the bank before the check digit is even looked at.
    """
    if invoice_number < 0:
        raise ValueError("invoice numbers are not negative")
    digits = str(invoice_number)
    payload = digits + str((len(digits) + 2) % 10)
    return payload + luhn_check_digit(payload)


def is_valid_ocr(ocr: str) -> bool:
    """True when ``ocr`` has a correct length digit and Luhn check digit."""
    if len(ocr) < 3 or not ocr.isdigit():
        return False
    payload, check = ocr[:-1], ocr[-1]
    return int(payload[-1]) == len(ocr) % 10 and luhn_check_digit(payload) == check
