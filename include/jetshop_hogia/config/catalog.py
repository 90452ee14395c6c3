"""Catalog options of a tenant (products, prices, stock, drift): the ``catalog:`` block of a tenant file.

Separate from :mod:`jetshop_hogia.config.models` so the catalog streams' knobs live in one place; every
option has a default that is safe for a merchant who never set it (nothing Jetshop owns is overwritten,
no price is rounded, no drift is healed without asking).
"""

from __future__ import annotations

import enum
import re

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class OrePolicy(enum.StrEnum):
    """What to do with a price whose inc-VAT amount has öre (``PriceIncVat`` takes whole units only, FACT)."""

    QUARANTINE = "quarantine"
    """Do not send it; quarantine the article's price with the exact amount (default)."""
    ROUND_HALF_UP = "round_half_up"
    """Send it rounded half-up to whole units; every rounding is listed with its difference."""


class JetshopOwnedField(enum.StrEnum):
    """Fields Jetshop owns in the erp_led flow; written only when a product is created, unless listed."""

    NAME = "name"


class SellableStock(enum.StrEnum):
    """Which stock level the shops are sent (issue 9, item 4)."""

    HOGIA_STOCK = "hogia_stock"
    """Hogia's balance as it is (default)."""
    SUBTRACT_UNINVOICED_ORDERS = "subtract_uninvoiced_orders"
    """Hogia's balance minus the units on shop orders the ledger knows are not yet invoiced (sold in
    the shop, not yet drawn from Hogia's stock); never below 0."""


class StockStatusRules(_Strict):
    """Jetshop stock status ids per situation (combo: "Lager & lagerstatus"); None leaves it to Jetshop."""

    in_stock: int | None = Field(default=None, ge=0)
    out_of_stock: int | None = Field(default=None, ge=0)
    coming: int | None = Field(default=None, ge=0, description="stock ≤ 0 and a known delivery date")
    by_hogia_status: dict[str, int] = Field(
        default_factory=dict, description="a Hogia article's stockStatus text → Jetshop status id (wins)"
    )


class DriftConfig(_Strict):
    """The full compare: when it runs (besides the ``full_compare`` run param) and whether it heals."""

    schedule: str = Field(default="0 2 * * *", description="cron in the tenant's time zone")
    auto_heal: bool = Field(default=False, description="drifted items are sent again by the next run")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        if not croniter.is_valid(value):
            raise ValueError(f"{value!r} is not a cron expression (e.g. '0 2 * * *')")
        return value


_CULTURE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


class CatalogConfig(_Strict):
    """Products, prices and stock between Jetshop and Hogia (defaults apply when the block is absent)."""

    name_culture: str | None = Field(
        default=None, description="culture whose name becomes the Hogia article name (default: the first)"
    )
    send_to_web_shop: bool = Field(
        default=True, description="the 'send to web shop' flag on articles written to Hogia"
    )
    overwrite_jetshop_fields: list[JetshopOwnedField] = Field(default_factory=list)
    ore_prices: OrePolicy = OrePolicy.QUARANTINE
    stock_status: StockStatusRules = StockStatusRules()
    stock_sellable: SellableStock = SellableStock.HOGIA_STOCK
    drift: DriftConfig = DriftConfig()
    batch_size: int = Field(default=50, ge=1, le=500)

    @field_validator("name_culture")
    @classmethod
    def _culture(cls, value: str | None) -> str | None:
        if value is not None and not _CULTURE.match(value):
            raise ValueError(f"{value!r} is not a culture like 'sv-SE'")
        return value
