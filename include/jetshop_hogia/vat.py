"""Swedish VAT rates as dated tables: a rate is a function of the article's class *and* the date.

FACT: 25 % most goods, 12 % food/restaurants/hotels, 6 % books/newspapers/transport/culture, 0 %
exempt. Food is reported cut from 12 % to 6 % from 2026-04-01 to 2027-12-31, so an order placed on
2026-03-31 and one placed on 2026-04-01 carry different rates for the same article.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal


class VatClass(enum.StrEnum):
    """What kind of goods an article is, for VAT."""

    STANDARD = "standard"
    FOOD = "food"
    REDUCED = "reduced"
    EXEMPT = "exempt"


# (class, valid_from inclusive, valid_to inclusive or None, rate as a fraction)
VAT_TABLE: tuple[tuple[VatClass, date, date | None, Decimal], ...] = (
    (VatClass.STANDARD, date(1990, 7, 1), None, Decimal("0.25")),
    (VatClass.FOOD, date(1990, 7, 1), date(2026, 3, 31), Decimal("0.12")),
    (VatClass.FOOD, date(2026, 4, 1), date(2027, 12, 31), Decimal("0.06")),
    (VatClass.FOOD, date(2028, 1, 1), None, Decimal("0.12")),
    (VatClass.REDUCED, date(1990, 7, 1), None, Decimal("0.06")),
    (VatClass.EXEMPT, date(1990, 7, 1), None, Decimal("0")),
)

ALLOWED_RATES: frozenset[Decimal] = frozenset(
    {Decimal("0.25"), Decimal("0.12"), Decimal("0.06"), Decimal("0")}
)
"""Every rate a Swedish invoice row may carry."""


def vat_rate(vat_class: VatClass, on: date) -> Decimal:
    """The VAT rate (fraction) of ``vat_class`` on day ``on``."""
    for klass, valid_from, valid_to, rate in VAT_TABLE:
        if klass is vat_class and valid_from <= on and (valid_to is None or on <= valid_to):
            return rate
    raise LookupError(f"no VAT rate for {vat_class.value} on {on.isoformat()}")


def is_allowed_rate(rate: Decimal) -> bool:
    """True when ``rate`` (a fraction) is one of the Swedish rates."""
    return rate.normalize() in {r.normalize() for r in ALLOWED_RATES}
