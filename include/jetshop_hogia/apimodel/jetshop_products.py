"""Jetshop product and price-list types as the live service has them (FACT — shared/reference/jetshop-api.md).

Client-side models of ``ProductData`` (one per culture), the per-item results of ``Product_AddUpdate``,
``Product_Delete`` and ``PriceList_UpdateArticleIncVAT``, and the IncVAT price row. Unlike the order
types these are not MODEL: their names and semantics were seen on the wire. The XML codec is
:mod:`jetshop_hogia.apimodel.jetshop_products_xml`.

Every result type says what went wrong in ``problems`` (empty when the item succeeded): the service
answers business failures with HTTP 200 and a status per item (FACT), so a caller that only checks the
HTTP status silently loses writes. Datetimes are aware UTC; money is Decimal (prices ex VAT here, except
the integer IncVAT fields of :class:`PriceListRow`, built through :mod:`jetshop_hogia.vat_pricing`).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from jetshop_hogia import vat_pricing

PRODUCT_SUCCESS_STATUSES = frozenset({"SuccessNew", "SuccessUpdate", "Success"})
"""``StatusMainProductCreateDelete`` values that mean the product was written (FACT)."""
_SUB_RESULT_OK = frozenset({"Success", "None"})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware inside the program")
    return value


class CategoryState(enum.StrEnum):
    """``ProductInCategoryState``: links are additive; removing one needs ``DeleteConnection`` (FACT)."""

    NONE = "None"
    DELETE_CONNECTION = "DeleteConnection"


class ProductCategory(_Model):
    """A product's link to a category; ``result`` and ``category_name`` are only ever read."""

    category_id: int
    sort_order: int | None = None
    is_canonical: bool | None = None
    state: CategoryState = CategoryState.NONE
    category_name: str | None = None
    result: str | None = None

    @property
    def problem(self) -> str | None:
        """Why this link's write failed, None when it did what was asked."""
        if self.result is None or self.result in _SUB_RESULT_OK:
            return None
        if self.state is CategoryState.DELETE_CONNECTION and self.result == "NotFound":
            return None  # the link is gone, which is what was asked (a retried delete ends here too)
        return f"category {self.category_id}: {self.result}"


class StockData(_Model):
    """Stock is written through ``Product_AddUpdate`` (FACT); ``stock_status_name`` is read-only.

    An empty ``DeliveryDate`` faults the whole batch (FACT), so a None date is omitted; set
    ``clear_delivery_date`` to send ``xsi:nil`` and remove a date.
    """

    new_stock_count: int | None = None
    delivery_date: datetime | None = None
    clear_delivery_date: bool = False
    stock_status_id: int | None = None
    stock_status_name: str | None = None
    use_advanced_status: bool | None = None
    stock_status_when_out_of_stock: int | None = None

    _aware = field_validator("delivery_date")(_aware)


class ProductData(_Model):
    """One product in one culture. None fields are not sent: a write changes only what is set (FACT).

    ``price``/``discounted_price`` are ex VAT in the shop's default price list; a negative
    ``discounted_price`` means "no campaign" (see :attr:`campaign_price`). ``product_id``,
    ``price_list_id_or_name`` and ``modified_date`` are read-only.
    """

    article_number: str = Field(min_length=1)
    culture: str | None = None
    name: str | None = None
    sub_name: str | None = None
    short_description: str | None = None
    product_description: str | None = None
    price: Decimal | None = None
    discounted_price: Decimal | None = None
    discount_start_date: datetime | None = None
    discount_end_date: datetime | None = None
    use_discount_date_span: bool | None = None
    discounted_price_is_member_price: bool | None = None
    vat: Decimal | None = Field(default=None, description="a fraction: 0.25 for 25 %")
    hide_price: bool | None = None
    hide_product: bool | None = None
    template_id: int | None = None
    ean_code: str | None = None
    manufacturer: str | None = None
    weight: Decimal | None = None
    volume: Decimal | None = None
    has_attributes: bool | None = None
    stock: StockData | None = None
    categories: tuple[ProductCategory, ...] = ()
    product_id: int | None = None
    price_list_id_or_name: str | None = None
    modified_date: datetime | None = None

    _aware = field_validator("discount_start_date", "discount_end_date", "modified_date")(_aware)

    @property
    def campaign_price(self) -> Decimal | None:
        """The campaign price ex VAT, None when there is none (``-1`` or the IncVAT quirk's ``-0.8``)."""
        return vat_pricing.campaign_from_stored(self.discounted_price)

    def for_cultures(self, cultures: tuple[str, ...] | list[str]) -> list[ProductData]:
        """This product once per culture, in the given order (the first creates, the rest update)."""
        return [self.model_copy(update={"culture": culture}) for culture in cultures]


class ProductResult(_Model):
    """One ``ProductResult`` of ``Product_AddUpdate`` (one per sent ``ProductData``, in order)."""

    article_number: str
    product_id: int | None = None
    culture: str | None = None
    status: str = Field(description="StatusMainProductCreateDelete: SuccessNew/SuccessUpdate/Success/None")
    stock_result: str | None = None
    attribute_create_update: str | None = None
    attribute_create_missing: str | None = None
    category_results: tuple[ProductCategory, ...] = ()

    @property
    def key(self) -> str:
        """Names the item in error messages: article number and culture."""
        return f"{self.article_number} [{self.culture}]" if self.culture else self.article_number

    @property
    def created(self) -> bool:
        """This item created the product (the first culture of a new article)."""
        return self.status == "SuccessNew"

    @property
    def problems(self) -> tuple[str, ...]:
        """Everything about this item that did not succeed (empty: all written)."""
        found: list[str] = []
        if self.status not in PRODUCT_SUCCESS_STATUSES:
            found.append(f"product not written (StatusMainProductCreateDelete={self.status})")
        for label, value in (
            ("stock", self.stock_result),
            ("attributes", self.attribute_create_update),
            ("missing attributes", self.attribute_create_missing),
        ):
            if value is not None and value not in _SUB_RESULT_OK:
                found.append(f"{label}: {value}")
        found.extend(p for link in self.category_results if (p := link.problem) is not None)
        return tuple(found)

    @property
    def ok(self) -> bool:
        """True when nothing in :attr:`problems`."""
        return not self.problems


class ProductDeleteResult(_Model):
    """``Product_Delete``'s ``{Identifier, Result}``; ``NotFound`` counts as done (already gone)."""

    identifier: str
    result: str = Field(description="Success / NotFound / None")

    @property
    def key(self) -> str:
        """Names the item in error messages."""
        return self.identifier

    @property
    def deleted(self) -> bool:
        """This call removed the product."""
        return self.result == "Success"

    @property
    def problems(self) -> tuple[str, ...]:
        """Non-empty when the product may still exist."""
        return () if self.result in ("Success", "NotFound") else (f"not deleted (Result={self.result})",)

    @property
    def ok(self) -> bool:
        """The product does not exist any more."""
        return not self.problems


def _guid_text(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        uuid.UUID(value.strip().strip("{}"))  # raises ValueError for a malformed GUID
        return value.strip()
    return value


class PriceListRow(_Model):
    """One ``ArticlePriceListIncVat``: integer prices incl. VAT; None fields are left unchanged.

    Build rows from ex-VAT prices with :meth:`from_ex_vat`, which rounds through
    :mod:`jetshop_hogia.vat_pricing` (the only place the conversion happens).
    """

    article_number: str = Field(min_length=1)
    price_list_id: str
    price_inc_vat: StrictInt | None = Field(default=None, ge=0)
    discounted_price_inc_vat: StrictInt | None = Field(default=None, ge=-1)
    hide_product: bool | None = None
    discounted_price_is_member_price: bool | None = None
    use_discount_date_span: bool | None = None
    discount_start_date: datetime | None = None
    discount_end_date: datetime | None = None

    _guid = field_validator("price_list_id", mode="before")(_guid_text)
    _aware = field_validator("discount_start_date", "discount_end_date")(_aware)

    @classmethod
    def from_ex_vat(
        cls,
        article_number: str,
        price_list_id: str | uuid.UUID,
        *,
        price_ex_vat: Decimal,
        vat_rate: Decimal,
        campaign_ex_vat: Decimal | None = None,
        **flags: Any,
    ) -> PriceListRow:
        """A row for an ex-VAT price and campaign (None → ``-1``, "no campaign") at ``vat_rate``."""
        return cls(
            article_number=article_number,
            price_list_id=str(price_list_id),
            price_inc_vat=vat_pricing.price_inc_vat_whole(price_ex_vat, vat_rate),
            discounted_price_inc_vat=vat_pricing.campaign_inc_vat_whole(campaign_ex_vat, vat_rate),
            **flags,
        )


class PriceListRowResult(_Model):
    """One ``ArticlePriceListResult``; ``price_list_id`` is echoed as sent (compare GUIDs ignoring case)."""

    article_number: str
    price_list_id: str
    success: bool
    message: str | None = None

    @property
    def key(self) -> str:
        """Names the row in error messages: article number and price list."""
        return f"{self.article_number} @ {self.price_list_id}"

    @property
    def problems(self) -> tuple[str, ...]:
        """The service's message when the row was refused."""
        return () if self.success else (self.message or "refused without a message",)

    @property
    def ok(self) -> bool:
        """The row was applied."""
        return self.success
