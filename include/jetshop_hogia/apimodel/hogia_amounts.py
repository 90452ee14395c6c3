"""Hogia Smart amount rules (MODEL) and OCR references (FACT), free of any wire model.

Rows are rounded to öre half-up, VAT is computed per row, and a company may round the gross total to
whole krona (01–49 öre down, 50–99 up, FACT practice) reporting the difference as ``roundingAmount``.
:func:`invoice_totals` is the one home of that arithmetic: the Hogia simulator books invoices with it
and the transform predicts what Hogia will book with it, so 1-öre differences between shop and ledger
are found before an invoice is sent, not after (docs/MONEY.md).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class LineFigures:
    """The four fields of an article line that decide its amounts (``unitPrice`` is ex VAT)."""

    quantity: Decimal
    unit_price: Decimal
    discount_amount: Decimal
    vat_percent: Decimal


@dataclass(frozen=True)
class RateTotals:
    """Taxable amount and VAT of one rate, as the invoice's VAT summary shows them."""

    percent: Decimal
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    """An invoice's totals: ``gross = net + vat + rounding``; ``by_rate`` highest rate first."""

    net: Decimal
    vat: Decimal
    rounding: Decimal
    gross: Decimal
    by_rate: tuple[RateTotals, ...]

    @property
    def gross_before_rounding(self) -> Decimal:
        """Net plus VAT: what the lines add up to before the company's whole-krona rounding."""
        return self.net + self.vat


def whole_krona_rounding(gross: Decimal) -> Decimal:
    """What to add to ``gross`` to reach whole kronor, half-up: within ±0.50 (``412.50`` → ``+0.50``)."""
    return round_money(gross, KRONA).quantize(OERE) - gross


def invoice_totals(
    lines: Iterable[LineFigures], rounding_mode: RoundingMode, *, vat_per_rate: bool = False
) -> Totals:
    """Hogia's invoice totals for these article lines (MODEL of Hogia's own arithmetic).

    1. Each line: ``amount = round(quantity × unitPrice − discountAmount, 2)`` half-up (away from zero
       for negatives, so a credit mirrors its invoice).
    2. VAT per line, ``round(amount × percent / 100, 2)``, summed per rate — never recomputed on the
       total. (``vat_per_rate=True`` is the switchable alternative some ledgers use: VAT rounded once per
       rate on the rate's net sum; the simulator, like the MODEL, rounds per line.)
    3. ``net``/``vat`` are the sums over the rates; with whole-krona rounding the gross total incl. VAT
       is rounded to whole kronor half-up and the difference is ``rounding`` (booked on 3740, ±0.50).

    Both the simulator (``hogia_invoices.compute_totals``) and the transform's prediction
    (``mapping.rounding.hogia_totals``) call this function; the transform's vectorised integer path
    is property-tested against it.
    """
    net_by_rate: dict[Decimal, Decimal] = {}
    vat_by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        amount, vat = line_amounts(line.quantity, line.unit_price, line.discount_amount, line.vat_percent)
        key = line.vat_percent.normalize()
        net_by_rate[key] = net_by_rate.get(key, Decimal("0.00")) + amount
        vat_by_rate[key] = vat_by_rate.get(key, Decimal("0.00")) + vat
    if vat_per_rate:
        vat_by_rate = {percent: round_money(net * percent / HUNDRED) for percent, net in net_by_rate.items()}
    by_rate = tuple(
        RateTotals(percent, net_by_rate[percent], vat_by_rate[percent])
        for percent in sorted(net_by_rate, reverse=True)
    )
    net = sum((rate.net for rate in by_rate), Decimal("0.00"))
    vat = sum((rate.vat for rate in by_rate), Decimal("0.00"))
    whole_krona = RoundingMode(rounding_mode) is RoundingMode.WHOLE_KRONA
    rounding = whole_krona_rounding(net + vat) if whole_krona else Decimal("0.00")
    return Totals(net, vat, rounding, net + vat + rounding, by_rate)


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
