"""Jetshop products ⇄ Hogia articles (the seed: "no variant structure" — each variant is its own article).

Jetshop → Hogia (shop_led, combo): :func:`article_payload` takes a product in every culture and gives
the Hogia article's number, name (from the tenant's name culture), VAT code, "send to web shop" flag and,
where Jetshop leads prices (shop_led), the ordinary price ex VAT to the öre. A parent with attributes is
not an article (its variants are).

Hogia → Jetshop (erp_led): :func:`product_payload` gives what ``Product_AddUpdate`` receives, once per
culture: article number, VAT and — only for a product Jetshop does not have yet, or when the tenant lets
Hogia overwrite it — the name. Categories, texts and images belong to Jetshop and are never sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jetshop_hogia import vat_pricing
from jetshop_hogia.apimodel.hogia_smart import VAT_CODE_CLASSES, Article, vat_percent
from jetshop_hogia.apimodel.jetshop_products import ProductData

ORE = Decimal("0.01")


class ProductProblem(ValueError):
    """A product that cannot be mapped; ``code`` is the quarantine reason code."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


def vat_code_for_rate(rate: Decimal, day: date, existing: str | None) -> str:
    """The Hogia VAT code with this rate on ``day``; an existing article's code is kept when it fits.

    Several codes can share a rate (food and books are both 6 % from 2026-04-01): then only the
    article's existing code can decide, and a new article is quarantined rather than guessed.
    """
    percent = (rate * 100).normalize()
    codes = sorted(code for code in VAT_CODE_CLASSES if vat_percent(code, day).normalize() == percent)
    if existing in codes:
        return str(existing)
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise ProductProblem("unknown_vat_rate", f"no Hogia VAT code has {percent} % on {day.isoformat()}")
    raise ProductProblem(
        "ambiguous_vat_rate", f"{percent} % on {day.isoformat()} fits VAT codes {codes}; set it in Hogia"
    )


def hogia_price(stored_ex_vat: Decimal) -> Decimal:
    """Jetshop's stored ex-VAT price (4 decimals) as a Hogia price: half-up to öre."""
    return stored_ex_vat.quantize(ORE, rounding=ROUND_HALF_UP)


def pick_name(products: Sequence[ProductData], culture: str | None) -> str:
    """The name in ``culture`` (default: the first culture's), else the first non-empty name."""
    ordered = sorted(products, key=lambda p: p.culture != culture) if culture else list(products)
    for product in ordered:
        if product.name and product.name.strip():
            return product.name.strip()
    raise ProductProblem("no_name", "the product has no name in any culture")


def article_payload(
    products: Sequence[ProductData],
    *,
    name_culture: str | None,
    send_to_web_shop: bool,
    include_price: bool,
    day: date,
    existing_vat_code: str | None,
) -> dict[str, Any]:
    """The Hogia article of one Jetshop product (all its cultures); raises :class:`ProductProblem`."""
    first = products[0]
    if first.vat is None:
        raise ProductProblem("no_vat", "the product has no VAT rate")
    payload: dict[str, Any] = {
        "number": first.article_number,
        "name": pick_name(products, name_culture),
        "vatCode": vat_code_for_rate(first.vat, day, existing_vat_code),
        "sendToWebShop": send_to_web_shop,
    }
    if include_price and first.price is not None:
        payload["price"] = str(hogia_price(first.price))
    return payload


def is_variant_parent(products: Sequence[ProductData]) -> bool:
    """A product with attributes is a parent: its variants are the articles (seed: no variant structure)."""
    return any(product.has_attributes for product in products)


def article_view(article: Article, currency: str, with_price: bool) -> dict[str, Any]:
    """The comparable view of a Hogia article for drift compares."""
    view: dict[str, Any] = {
        "number": article.number,
        "name": article.name,
        "vatCode": article.vat_code,
        "sendToWebShop": article.send_to_web_shop,
    }
    if with_price:
        price = article.price_in(currency)
        view["price"] = str(price.quantize(ORE)) if price is not None else None
    return view


def product_payload(
    article: Article, *, cultures: Sequence[str], is_new: bool, overwrite_name: bool, day: date
) -> dict[str, Any]:
    """What ``Product_AddUpdate`` gets for one Hogia article (Jetshop-owned fields left out).

    The name is Hogia's to overwrite only when the tenant says so (``name`` is then hashed: a renamed
    article is sent again); a new product gets it once (``_new_name``: sent, not hashed).
    """
    rate = vat_pricing.vat_rate_from_percent(vat_percent(article.vat_code, day))
    payload: dict[str, Any] = {
        "article_number": article.number,
        "cultures": list(cultures),
        "vat": str(rate),
    }
    if overwrite_name:
        payload["name"] = article.name
    elif is_new:
        payload["_new_name"] = article.name
    return payload


def product_data(payload: dict[str, Any]) -> list[ProductData]:
    """The ``ProductData`` items of a payload, one per culture in order (the first creates)."""
    product = ProductData(
        article_number=payload["article_number"],
        vat=Decimal(payload["vat"]),
        name=payload.get("name") or payload.get("_new_name"),
    )
    return product.for_cultures(payload["cultures"])


def product_view(payload: dict[str, Any]) -> dict[str, Any]:
    """The expected view of a sent product (name only when it is Hogia's to set)."""
    view: dict[str, Any] = {"vat": Decimal(payload["vat"])}
    if "name" in payload:
        view["name"] = payload["name"]
    return view
