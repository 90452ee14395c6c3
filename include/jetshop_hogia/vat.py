"""Swedish VAT rates as dated tables: a rate is a function of the article's class *and* the date.

FACT: 25 % most goods, 12 % food/restaurants/hotels, 6 % books/newspapers/transport/culture, 0 %
exempt. Food is reported cut from 12 % to 6 % from 2026-04-01 to 2027-12-31, so an order placed on
2026-03-31 and one placed on 2026-04-01 carry different rates for the same article. Only food moves:
restaurant and catering services, hotel nights and the other 12 % goods and services keep 12 % during
the cut (:attr:`VatClass.HOSPITALITY`), so 12 % stays a valid rate on every day.

:func:`rates_on` is the one answer to "which rates may an invoice row carry on this day"; the
transform's validation, the plugin re-check and the Hogia simulator all ask it.
"""

from __future__ import annotations

import enum
import functools
from datetime import date
from decimal import Decimal


class VatClass(enum.StrEnum):
    """What kind of goods or service an article is, for VAT."""

    STANDARD = "standard"
    FOOD = "food"
    HOSPITALITY = "hospitality"
    """12 % goods and services that are not food: restaurant and catering, hotel nights, … (FACT)."""
    REDUCED = "reduced"
    EXEMPT = "exempt"


VAT_ERA_START = date(1990, 7, 1)
"""The oldest day the table covers (today's four-rate structure); earlier days have no valid rate."""

# (class, valid_from inclusive, valid_to inclusive or None, rate as a fraction)
VAT_TABLE: tuple[tuple[VatClass, date, date | None, Decimal], ...] = (
    (VatClass.STANDARD, VAT_ERA_START, None, Decimal("0.25")),
    (VatClass.FOOD, VAT_ERA_START, date(2026, 3, 31), Decimal("0.12")),
    (VatClass.FOOD, date(2026, 4, 1), date(2027, 12, 31), Decimal("0.06")),
    (VatClass.FOOD, date(2028, 1, 1), None, Decimal("0.12")),
    (VatClass.HOSPITALITY, VAT_ERA_START, None, Decimal("0.12")),
    (VatClass.REDUCED, VAT_ERA_START, None, Decimal("0.06")),
    (VatClass.EXEMPT, VAT_ERA_START, None, Decimal("0")),
)

ALLOWED_RATES: frozenset[Decimal] = frozenset(rate for *_period, rate in VAT_TABLE)
"""Every rate a Swedish invoice row may carry on some day."""


def _covers(valid_from: date, valid_to: date | None, day: date) -> bool:
    return valid_from <= day and (valid_to is None or day <= valid_to)


def vat_rate(vat_class: VatClass, on: date) -> Decimal:
    """The VAT rate (fraction) of ``vat_class`` on day ``on``."""
    for klass, valid_from, valid_to, rate in VAT_TABLE:
        if klass is vat_class and _covers(valid_from, valid_to, on):
            return rate
    raise LookupError(f"no VAT rate for {vat_class.value} on {on.isoformat()}")


@functools.lru_cache(maxsize=4096)
def rates_on(day: date) -> frozenset[Decimal]:
    """The VAT rates (fractions, ``Decimal("0.25")``) an invoice row may carry on ``day``.

    The union over all classes valid that day: 25, 12, 6 and 0 % on every day since 1990-07-01 —
    during the food cut 12 % stays (hotels, restaurants), only food's rate moves. Empty before the
    table starts. Cached: a batch asks for the same few days again and again.
    """
    return frozenset(rate for _klass, start, end, rate in VAT_TABLE if _covers(start, end, day))


def percents_on(day: date) -> frozenset[int]:
    """:func:`rates_on` as whole percents (``25``), the way Hogia lines carry them."""
    return frozenset(int(rate * 100) for rate in rates_on(day))


def is_allowed_rate(rate: Decimal) -> bool:
    """True when ``rate`` (a fraction) is one of the Swedish rates."""
    return rate.normalize() in {r.normalize() for r in ALLOWED_RATES}
