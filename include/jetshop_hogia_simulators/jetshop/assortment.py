"""A product the merchant adds in the shop's own admin, with its variants and a chosen change time.

``POST /_admin/products/{shop_id}`` (see :mod:`.admin`). Going live, a merchant's web shop already holds
an assortment that was saved long before the integration started; the ``modified`` time lets a test or
the demo put it there as it really is — days old, so a delta read (``Product_GetChangedList`` from the
last window) does not see it and only a full read does.

Variants are made the way the seeded catalogue makes them (:func:`jetshop_hogia_simulators.seed`): the
product becomes a parent with attributes (not sold itself) and each variant is a product of its own,
``<article>-<value without spaces, lower case>`` named ``<name> <value>``. Prices are given including VAT
in SEK and stored per channel excluding VAT, converted to the channel's currency as the seed does.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import HTTPException
from pydantic import BaseModel, Field

from jetshop_hogia.vat import VatClass, vat_rate
from jetshop_hogia_simulators.common.clock import STOCKHOLM
from jetshop_hogia_simulators.jetshop.seeding import ex_vat
from jetshop_hogia_simulators.jetshop.state import PriceEntry, Product, ProductTexts, ShopState
from jetshop_hogia_simulators.seed import CURRENCY_FACTOR


class NewVariant(BaseModel):
    """One variant: its value (``"30 cm"``), its own price incl. VAT (default the product's) and stock."""

    value: str = Field(min_length=1, max_length=20)
    price_inc_vat: Decimal | None = Field(None, gt=0)
    stock: int = Field(0, ge=0)


class NewProduct(BaseModel):
    """A product as the merchant enters it; ``names`` per culture (at least one of the shop's)."""

    article_number: str = Field(min_length=1, max_length=40)
    names: dict[str, str] = Field(min_length=1)
    vat_class: VatClass = VatClass.STANDARD
    price_inc_vat: Decimal = Field(gt=0)
    stock: int = Field(0, ge=0)
    variants: list[NewVariant] = Field(default_factory=list, max_length=50)
    modified: datetime | None = None
    """Its ``Created``/``ModifiedDate`` (naive = Stockholm time); default the simulated now."""


def variant_number(article_number: str, value: str) -> str:
    """The article number of a variant, as the seeded catalogue forms it (``2201`` + ``60`` → ``2201-60``)."""
    return f"{article_number}-{value.replace(' ', '').lower()}"


def _product(
    shop: ShopState, number: str, names: dict[str, str], vat: Decimal, price: Decimal, stamp: datetime
) -> Product:
    prices = {
        channel.price_list_id: PriceEntry(
            price=ex_vat(price * CURRENCY_FACTOR[channel.currency], vat),
            discount_start=stamp,
            discount_end=stamp,
        )
        for channel in shop.channels
    }
    product = Product(
        article_number=number,
        product_id=shop.next_product_id,
        vat=vat,
        texts={culture: ProductTexts(name=name) for culture, name in names.items()},
        prices=prices,
        created=stamp,
        modified=stamp,
    )
    shop.next_product_id += 1
    return product


def add_product(shop: ShopState, body: NewProduct, now: datetime) -> list[str]:
    """Add the product (and its variants) to ``shop``; returns the new article numbers, parent first.

    Refused whole (409) when any of them exists: the merchant's admin does not overwrite a product by
    creating it again, and a caller that repeats itself learns so instead of silently changing data.
    """
    unknown = sorted(set(body.names) - set(shop.cultures))
    if unknown:
        raise HTTPException(422, f"shop {shop.shop_id!r} has no culture {unknown}; it has {shop.cultures}")
    numbers = [body.article_number] + [variant_number(body.article_number, v.value) for v in body.variants]
    taken = [number for number in numbers if number in shop.products]
    if taken or len(set(numbers)) != len(numbers):
        raise HTTPException(409, f"shop {shop.shop_id!r} already has article(s) {taken or numbers}")
    stamp = body.modified or now
    stamp = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=STOCKHOLM)
    vat = vat_rate(body.vat_class, now.date())
    parent = _product(shop, body.article_number, body.names, vat, body.price_inc_vat, stamp)
    parent.stock = body.stock if not body.variants else 0
    parent.has_attributes = bool(body.variants)
    shop.products[parent.article_number] = parent
    for variant, number in zip(body.variants, numbers[1:], strict=True):
        names = {culture: f"{name} {variant.value}" for culture, name in body.names.items()}
        price = variant.price_inc_vat or body.price_inc_vat
        product = _product(shop, number, names, vat, price, stamp)
        product.stock = variant.stock
        shop.products[number] = product
    return numbers
