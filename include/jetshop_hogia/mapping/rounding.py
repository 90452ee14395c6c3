"""Öre arithmetic the way Hogia invoices do it (MODEL, docs/MONEY.md).

Hogia (MODEL): a line's amount is ``round(quantity × unitPrice − discountAmount, 2)`` half-up; VAT is
rounded to öre per line (``VatRounding.PER_LINE``, the default and what ``apimodel.hogia_smart`` does)
or, switchable, per rate (``PER_RATE``); with ``roundingMode="wholeKrona"`` the gross total incl. VAT
is rounded to whole kronor half-up (01–49 öre down, 50–99 up) and the difference is ``roundingAmount``.

Two forms of the same rules live here:
- integer öre helpers on numpy arrays, used by the vectorised transform over whole batches;
- a Decimal ``hogia_totals`` over a create body's lines, used to re-check a draft after plugins and by
  the tests as the oracle for the vectorised path. It is ``apimodel.hogia_amounts.invoice_totals`` —
  the one named home of Hogia's arithmetic, which the simulator books invoices with — in the
  ``ExpectedTotals`` shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from jetshop_hogia.apimodel.hogia_amounts import (
    KRONA,
    OERE,
    LineFigures,
    RoundingMode,
    invoice_totals,
    round_money,
)
from jetshop_hogia.mapping.context import VatRounding

IntArray = npt.NDArray[np.int64]


# --- integer öre (vectorised) ------------------------------------------------------------------


def div_round_half_up(numerator: IntArray, denominator: IntArray | int) -> IntArray:
    """``numerator / denominator`` rounded half away from zero (Decimal's ROUND_HALF_UP), exactly."""
    den = np.asarray(denominator, dtype=np.int64)
    quotient, remainder = np.divmod(np.abs(numerator), den)
    quotient = quotient + (2 * remainder >= den)
    return np.asarray(np.sign(numerator) * quotient, dtype=np.int64)


def ceil_div(numerator: IntArray, denominator: IntArray | int) -> IntArray:
    """Smallest integer ≥ ``numerator / denominator`` (positive denominators)."""
    return np.asarray(-((-numerator) // denominator), dtype=np.int64)


def whole_krona_rounding(gross_ore: IntArray) -> IntArray:
    """The öre to add so that ``gross_ore`` becomes whole kronor, half-up (±50 öre at most)."""
    return div_round_half_up(gross_ore, 100) * 100 - gross_ore


def vat_ore(net_ore: IntArray, vat_basis_points: IntArray) -> IntArray:
    """VAT on ``net_ore`` at a rate given in basis points (2500 = 25 %), rounded to öre half-up."""
    return div_round_half_up(net_ore * vat_basis_points, 10_000)


def line_net_ore(quantity_milli: IntArray, unit_price_ore: IntArray, discount_ore: IntArray) -> IntArray:
    """Hogia's line amount ``round(q × unitPrice − discount, 2)`` with q in thousandths."""
    return div_round_half_up(quantity_milli * unit_price_ore - discount_ore * 1000, 1000)


# --- Decimal (one draft) -----------------------------------------------------------------------


def round_whole_krona(value: Decimal) -> Decimal:
    """Round to whole kronor, half-up, keeping two decimals (``412.50`` → ``413.00``)."""
    return round_money(value, KRONA).quantize(OERE)


@dataclass(frozen=True)
class VatRateTotal:
    """Taxable amount and VAT of one rate, as the invoice's VAT summary shows them."""

    percent: int
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class ExpectedTotals:
    """What Hogia will compute for an invoice; reconciliation compares it with the read model."""

    currency: str
    net: Decimal
    vat: Decimal
    vat_by_rate: tuple[VatRateTotal, ...]
    gross_before_rounding: Decimal
    rounding_amount: Decimal
    gross: Decimal

    def as_hogia(self) -> dict[str, Any]:
        """The same figures under the read model's names (``netAmount``, ``vatDistributions``…)."""
        return {
            "netAmount": self.net,
            "vatAmount": self.vat,
            "roundingAmount": self.rounding_amount,
            "grossAmount": self.gross,
            "vatDistributions": [
                {"percent": rate.percent, "netAmount": rate.net, "amount": rate.vat}
                for rate in self.vat_by_rate
            ],
        }


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def line_figures(line: Mapping[str, Any]) -> LineFigures:
    """The amount-deciding fields of one create-body article line."""
    return LineFigures(
        _decimal(line["quantity"]),
        _decimal(line["unitPrice"]),
        _decimal(line.get("discountAmount") or 0),
        _decimal(line["vatPercent"]),
    )


def hogia_totals(
    lines: Iterable[Mapping[str, Any]],
    *,
    currency: str,
    whole_krona: bool,
    vat_rounding: VatRounding = VatRounding.PER_LINE,
) -> ExpectedTotals:
    """Totals Hogia computes for these create-body ``invoiceLines``: :func:`invoice_totals` (the one
    home of Hogia's arithmetic, shared with the simulator) in the ``ExpectedTotals`` shape."""
    totals = invoice_totals(
        (line_figures(line) for line in lines if line.get("lineType", "article") == "article"),
        RoundingMode.WHOLE_KRONA if whole_krona else RoundingMode.NONE,
        vat_per_rate=vat_rounding == VatRounding.PER_RATE,
    )
    rates = tuple(VatRateTotal(int(rate.percent), rate.net, rate.vat) for rate in totals.by_rate)
    return ExpectedTotals(
        currency,
        totals.net,
        totals.vat,
        rates,
        totals.gross_before_rounding,
        totals.rounding,
        totals.gross,
    )
