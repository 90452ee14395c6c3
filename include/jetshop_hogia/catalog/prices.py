"""Hogia prices → Jetshop price-list rows: ordinary and campaign price, inc VAT, whole currency units.

Hogia Smart holds one ordinary price per currency and one campaign price (company currency), both ex
VAT in öre (MODEL). ``PriceList_UpdateArticleIncVAT`` takes prices **including VAT as integers** (FACT).
The rules, each in one function:

- :func:`shop_price_inc_vat` — the price a customer sees: ex VAT × (1 + rate), rounded half-up to öre.
- :func:`whole_units` — that price as the integer the call needs. A price with öre (``249.50``) cannot
  be represented: under the tenant's default policy (``quarantine``) the row is *not* sent and the
  article is quarantined with the exact amount; under ``round_half_up`` it is sent rounded half-up
  (``249.50`` → ``250``) and the rounding is listed, with its difference, in the run's report.
- :func:`campaign_span` — a campaign applies from ``validFrom`` 00:00 to ``validTo`` 23:59:59 local time;
  an ended campaign and no campaign are both sent as ``-1`` (FACT: "no campaign"), which Jetshop stores
  divided by 1 + VAT (``-0.8000`` at 25 %, the quirk) — read back, any negative value means none.
- :func:`expected_view` — what Jetshop should then store (ex VAT, 4 decimals), for drift compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from jetshop_hogia import vat_pricing
from jetshop_hogia.apimodel.hogia_smart import Article, CampaignPrice, vat_percent
from jetshop_hogia.config.catalog import OrePolicy

ORE = Decimal("0.01")
OPEN_END = date(2099, 12, 31)
"""End of a campaign span that has a start but no end date (Jetshop needs both dates with a span)."""


class PriceProblem(ValueError):
    """A price that cannot be sent as it is; ``code`` is the quarantine reason code."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class PriceRowPlan:
    """One row for one article and price list, ready to become a ``PriceListRow``."""

    article_number: str
    price_list_id: str
    vat_rate: Decimal
    price_inc_vat: int
    campaign_inc_vat: int
    use_span: bool
    start: datetime | None
    end: datetime | None
    roundings: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        """What is sent (and hashed): the row's fields in JSON-ready form."""
        return {
            "article_number": self.article_number,
            "price_list_id": self.price_list_id,
            "vat_rate": str(self.vat_rate),
            "price_inc_vat": self.price_inc_vat,
            "campaign_inc_vat": self.campaign_inc_vat,
            "use_span": self.use_span,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


def article_vat_rate(article: Article, day: date) -> Decimal:
    """The article's VAT rate (a fraction) on ``day``, from its Hogia VAT code's dated table."""
    try:
        return vat_pricing.vat_rate_from_percent(vat_percent(article.vat_code, day))
    except KeyError:
        raise PriceProblem("unknown_vat_code", f"VAT code {article.vat_code!r} is not known") from None


def shop_price_inc_vat(price_ex_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The price incl. VAT a customer sees: exact ex × (1 + rate), half-up to öre."""
    return vat_pricing.exact_inc_vat(price_ex_vat, vat_rate).quantize(ORE, rounding=ROUND_HALF_UP)


def whole_units(
    price_ex_vat: Decimal, vat_rate: Decimal, policy: OrePolicy, what: str
) -> tuple[int, str | None]:
    """The integer ``…IncVat`` for a price, and a note when it was rounded; raises for öre (quarantine)."""
    shown = shop_price_inc_vat(price_ex_vat, vat_rate)
    if shown == shown.to_integral_value():
        return int(shown), None
    if policy is OrePolicy.QUARANTINE:
        raise PriceProblem(
            "price_has_ore",
            f"{what} {shown} incl. VAT has öre; PriceIncVat takes whole units only (not sent)",
        )
    whole = int(shown.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return whole, f"{what} {shown} sent as {whole} ({Decimal(whole) - shown:+})"


def campaign_in_force(campaign: CampaignPrice | None, day: date) -> CampaignPrice | None:
    """The campaign unless it has ended before ``day`` (a future campaign is sent with its span)."""
    if campaign is None or (campaign.valid_to is not None and campaign.valid_to < day):
        return None
    return campaign


def campaign_span(
    campaign: CampaignPrice, day: date, timezone: str
) -> tuple[bool, datetime | None, datetime | None]:
    """``(UseDiscountDateSpan, start, end)``: local day bounds of the campaign's dates, aware."""
    if campaign.valid_from is None and campaign.valid_to is None:
        return False, None, None
    zone = ZoneInfo(timezone)
    first = campaign.valid_from or day
    last = campaign.valid_to or OPEN_END
    return True, datetime.combine(first, time(0), zone), datetime.combine(last, time(23, 59, 59), zone)


def price_row(
    article: Article,
    *,
    price_list_id: str,
    currency: str,
    company_currency: str,
    day: date,
    timezone: str,
    policy: OrePolicy,
) -> PriceRowPlan:
    """The row of one article for one price list (channel); raises :class:`PriceProblem`."""
    rate = article_vat_rate(article, day)
    price = article.price_in(currency)
    if price is None:
        raise PriceProblem("no_price_in_currency", f"the article has no ordinary price in {currency}")
    price_inc, price_note = whole_units(price, rate, policy, "price")
    campaign = campaign_in_force(article.campaign_price, day) if currency == company_currency else None
    campaign_inc, campaign_note = vat_pricing.NO_CAMPAIGN_INC_VAT, None
    use_span, start, end = False, None, None
    if campaign is not None:
        campaign_inc, campaign_note = whole_units(campaign.price, rate, policy, "campaign price")
        use_span, start, end = campaign_span(campaign, day, timezone)
    return PriceRowPlan(
        article_number=article.number,
        price_list_id=price_list_id,
        vat_rate=rate,
        price_inc_vat=price_inc,
        campaign_inc_vat=campaign_inc,
        use_span=use_span,
        start=start,
        end=end,
        roundings=tuple(note for note in (price_note, campaign_note) if note),
    )


def expected_view(payload: dict[str, Any]) -> dict[str, Any]:
    """What Jetshop stores for a sent row (ex VAT, 4 decimals; campaign None when -1)."""
    rate = Decimal(payload["vat_rate"])
    campaign = payload["campaign_inc_vat"]
    return {
        "price": vat_pricing.stored_ex_vat(payload["price_inc_vat"], rate),
        "campaign": None if campaign < 0 else vat_pricing.stored_ex_vat(campaign, rate),
    }


def actual_view(price: Decimal | None, discounted_price: Decimal | None) -> dict[str, Any]:
    """The comparable view of what Jetshop holds (negative campaign = none, the -1 quirk included)."""
    return {"price": price, "campaign": vat_pricing.campaign_from_stored(discounted_price)}
