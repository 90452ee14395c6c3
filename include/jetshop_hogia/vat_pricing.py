"""Ex-VAT ⇄ inc-VAT prices for Jetshop's price calls: the one place this conversion happens.

Hogia Smart keeps ex-VAT prices in öre (MODEL); Jetshop's ``PriceList_UpdateArticleIncVAT`` takes prices
*including* VAT as **integers** (FACT: ``PriceIncVat`` parses as ``NullableOfInt32``) and stores them
ex VAT, divided by ``1 + Vat`` with 4 decimals (FACT: ``123`` at 25 % → ``98.4000``). So:

- ex → inc: ``price_ex_vat × (1 + rate)`` rounded **half-up to whole currency units** (INFERRED: the
  call cannot carry öre; half-up is the Swedish convention for öre rounding, so 99.50 → 100, 99.49 → 99).
  :func:`rounding_difference` tells how far the shop price then is from the exact one.
- no campaign: ``DiscountedPriceIncVat = -1`` (FACT). The live service divides the -1 as well and
  stores ``-0.8000`` at 25 %; every negative stored ``DiscountedPrice`` therefore means "no campaign"
  when read back (:func:`campaign_from_stored`).
- inc → stored: :func:`stored_ex_vat` predicts what Jetshop will store, for comparing after a write.

VAT rates are fractions (``Decimal("0.25")``), as Jetshop writes them; a percent passed by mistake
(``25``) is refused rather than producing a price 26 times too high. Money is Decimal, never float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

NO_CAMPAIGN_INC_VAT: Final = -1
"""``DiscountedPriceIncVat`` meaning "no campaign price" (FACT)."""
WHOLE_UNIT: Final = Decimal("1")
STORED_PLACES: Final = Decimal("0.0001")
HUNDRED: Final = Decimal(100)


def _check_rate(vat_rate: Decimal) -> Decimal:
    if not isinstance(vat_rate, Decimal):
        raise TypeError(f"VAT rate must be a Decimal fraction, not {type(vat_rate).__name__}")
    if not Decimal(0) <= vat_rate < Decimal(1):
        raise ValueError(f"VAT rate {vat_rate} is not a fraction in [0, 1) (25 % is Decimal('0.25'))")
    return vat_rate


def _check_price(price: Decimal, what: str) -> Decimal:
    if not isinstance(price, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(price).__name__} (money is never float)")
    if not price.is_finite() or price < 0:
        raise ValueError(f"{what} must be a finite, non-negative amount, not {price}")
    return price


def vat_rate_from_percent(percent: Decimal | int) -> Decimal:
    """``25`` → ``Decimal('0.25')``: Hogia speaks percent, Jetshop fractions."""
    return _check_rate(Decimal(percent) / HUNDRED)


def exact_inc_vat(price_ex_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The unrounded price including VAT."""
    return _check_price(price_ex_vat, "price ex VAT") * (1 + _check_rate(vat_rate))


def price_inc_vat_whole(price_ex_vat: Decimal, vat_rate: Decimal) -> int:
    """The integer ``PriceIncVat`` for an ex-VAT price: rounded half-up to whole currency units."""
    return int(exact_inc_vat(price_ex_vat, vat_rate).quantize(WHOLE_UNIT, rounding=ROUND_HALF_UP))


def campaign_inc_vat_whole(campaign_ex_vat: Decimal | None, vat_rate: Decimal) -> int:
    """The integer ``DiscountedPriceIncVat``: the rounded campaign price, or -1 when there is none."""
    if campaign_ex_vat is None:
        _check_rate(vat_rate)
        return NO_CAMPAIGN_INC_VAT
    return price_inc_vat_whole(campaign_ex_vat, vat_rate)


def rounding_difference(price_ex_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """Whole-unit shop price minus the exact inc-VAT price (what the customer pays more, or less)."""
    exact = exact_inc_vat(price_ex_vat, vat_rate)
    return Decimal(price_inc_vat_whole(price_ex_vat, vat_rate)) - exact


def stored_ex_vat(price_inc_vat: int, vat_rate: Decimal) -> Decimal:
    """What Jetshop stores for an integer inc-VAT price: ``price / (1 + rate)``, 4 decimals half-up.

    Also right for -1, which the live service stores as ``-1 / (1 + rate)`` (``-0.8000`` at 25 %).
    """
    if isinstance(price_inc_vat, bool) or not isinstance(price_inc_vat, int):
        raise TypeError("an IncVAT price is an int (whole currency units)")
    return (Decimal(price_inc_vat) / (1 + _check_rate(vat_rate))).quantize(STORED_PLACES, ROUND_HALF_UP)


def campaign_from_stored(discounted_price: Decimal | None) -> Decimal | None:
    """A stored ex-VAT ``DiscountedPrice`` as a campaign price, None when it means "no campaign".

    Negative values are "no campaign": ``-1.0000`` written by ``Product_AddUpdate`` and ``-0.8000``
    (or another fraction of -1) left behind by the IncVAT call's quirk.
    """
    if discounted_price is None or discounted_price < 0:
        return None
    return discounted_price
