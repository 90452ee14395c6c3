"""Client-side XML codec of Jetshop's product operations (FACT shapes, see ``jetshop_products``).

Encoders return the parameter element for :func:`jetshop_hogia.soap.build_request`; decoders take the
``…Result`` element from :func:`jetshop_hogia.soap.parse_response`. Writes send only the fields that are
set, in the element order of ``Product_Get`` answers: the live ``Product_AddUpdate`` treats a
``ProductData`` as a partial update, so an element sent by accident overwrites data in the shop.
The simulator has its own server-side reader (``simulators/jetshop/product_xml.py``); both follow
the same FACT element names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jetshop_hogia import soap
from jetshop_hogia.apimodel.jetshop_products import (
    PriceListRow,
    PriceListRowResult,
    ProductCategory,
    ProductData,
    ProductDeleteResult,
    ProductResult,
    StockData,
)
from jetshop_hogia.apimodel.jetshop_xml_kinds import KIND_READERS, Kind

PRODUCT_GET = "Product_Get"
PRODUCT_ADD_UPDATE = "Product_AddUpdate"
PRODUCT_DELETE = "Product_Delete"
PRICE_LIST_UPDATE_INC_VAT = "PriceList_UpdateArticleIncVAT"

M = TypeVar("M", bound=BaseModel)

# (element, attribute, kind, written by a client). Order: that of Product_Get answers (FACT).
PRODUCT_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("ArticleNumber", "article_number", "str", True),
    ("Culture", "culture", "str", True),
    ("DiscountEndDate", "discount_end_date", "dt", True),
    ("DiscountStartDate", "discount_start_date", "dt", True),
    ("DiscountedPrice", "discounted_price", "dec", True),
    ("EanCode", "ean_code", "str", True),
    ("HasAttributes", "has_attributes", "bool", True),
    ("HidePrice", "hide_price", "bool", True),
    ("HideProduct", "hide_product", "bool", True),
    ("Manufacturer", "manufacturer", "str", True),
    ("Name", "name", "str", True),
    ("Price", "price", "dec", True),
    ("PriceListIdOrName", "price_list_id_or_name", "str", False),
    ("ProductDescription", "product_description", "str", True),
    ("ProductId", "product_id", "int", False),
    ("ShortDescription", "short_description", "str", True),
    ("SubName", "sub_name", "str", True),
    ("TemplateId", "template_id", "int", True),
    ("UseDiscountDateSpan", "use_discount_date_span", "bool", True),
    ("Vat", "vat", "vat", True),
    ("Volume", "volume", "dec", True),
    ("Weight", "weight", "dec", True),
    ("DiscountedPriceIsMemberPrice", "discounted_price_is_member_price", "bool", True),
    ("ModifiedDate", "modified_date", "dt", False),
)
_BEFORE_CATEGORIES = "ProductId"
_BEFORE_STOCK = "SubName"
STOCK_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("DeliveryDate", "delivery_date", "dt", True),
    ("NewStockCount", "new_stock_count", "int", True),
    ("StockStatusId", "stock_status_id", "int", True),
    ("StockStatusName", "stock_status_name", "str", False),
    ("UseAdvancedStatus", "use_advanced_status", "bool", True),
    ("StockStatusWhenOutOfStock", "stock_status_when_out_of_stock", "int", True),
)
CATEGORY_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("CategoryId", "category_id", "int", True),
    ("CategoryName", "category_name", "str", False),
    ("ProductInCategoryState", "state", "str", True),
    ("Result", "result", "str", False),
    ("SortOrder", "sort_order", "int", True),
    ("IsCanonical", "is_canonical", "bool", True),
)
PRICE_ROW_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("ArticleNumber", "article_number", "str", True),
    ("PriceListId", "price_list_id", "str", True),
    ("PriceIncVat", "price_inc_vat", "int", True),
    ("DiscountedPriceIncVat", "discounted_price_inc_vat", "int", True),
    ("HideProduct", "hide_product", "bool", True),
    ("DiscountedPriceIsMemberPrice", "discounted_price_is_member_price", "bool", True),
    ("UseDiscountDateSpan", "use_discount_date_span", "bool", True),
    ("DiscountStartDate", "discount_start_date", "dt", True),
    ("DiscountEndDate", "discount_end_date", "dt", True),
)
PRODUCT_RESULT_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("ArticleNumber", "article_number", "str", False),
    ("ProductId", "product_id", "int", False),
    ("Culture", "culture", "str", False),
    ("StatusMainProductCreateDelete", "status", "str", False),
    ("ResultStockCreateUpdate", "stock_result", "str", False),
    ("ResultAttributeCreateUpdate", "attribute_create_update", "str", False),
    ("ResultAttributeCreateMissing", "attribute_create_missing", "str", False),
)
PRICE_RESULT_FIELDS: tuple[tuple[str, str, Kind, bool], ...] = (
    ("ArticleNumber", "article_number", "str", False),
    ("PriceListId", "price_list_id", "str", False),
    ("Success", "success", "bool", False),
    ("Message", "message", "str", False),
)


def _write(parent: soap.Element, fields: Sequence[tuple[str, str, Kind, bool]], source: Any) -> None:
    """Append the set, writable fields of ``source`` (None is "not sent", never nil)."""
    for xml_name, attr, kind, writable in fields:
        value = getattr(source, attr)
        if not writable or value is None:
            continue
        if kind == "vat":
            soap.add(parent, xml_name, soap.format_vat(value))
        elif kind == "str":
            soap.add(parent, xml_name, str(value))  # enums by value
        else:
            soap.add(parent, xml_name, value)


def _read(parent: soap.Element, fields: Sequence[tuple[str, str, Kind, bool]]) -> dict[str, Any]:
    return {
        attr: value
        for xml_name, attr, kind, _ in fields
        if (value := KIND_READERS[kind](parent, xml_name)) is not None
    }


def _model(model: type[M], element: soap.Element, **fields: Any) -> M:
    """Build ``model``; an invalid answer becomes an ``XmlValueError`` without the offending value."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise soap.XmlValueError(
            soap.local_name(element), "", model.__name__, f"{model.__name__}.{where}: {problem['msg']}"
        ) from None


# --- Product_Get ---------------------------------------------------------------------------------


def encode_product_options(article_number: str, culture: str | None) -> soap.Element:
    """``productOptions{ArticleNumber, Culture}``; without a culture the service answers every one."""
    param = soap.element("productOptions")
    soap.add(param, "ArticleNumber", article_number)
    if culture is not None:
        soap.add(param, "Culture", culture)
    return param


def _decode_category(node: soap.Element) -> ProductCategory:
    fields = _read(node, CATEGORY_FIELDS)
    if fields.get("state") == "":
        fields.pop("state")
    return _model(ProductCategory, node, **fields)


def decode_products(result: soap.Element) -> list[ProductData]:
    """Every ``ProductData`` in ``Product_GetResult`` (empty: no such article)."""
    found: list[ProductData] = []
    for node in soap.children(result, "ProductData"):
        fields = _read(node, PRODUCT_FIELDS)
        stock = soap.child(node, "StockData")
        if stock is not None and not soap.is_nil(stock):
            fields["stock"] = _model(StockData, stock, **_read(stock, STOCK_FIELDS))
        categories = soap.items(node, "ProductInCategories", "ProductInCategoryData")
        fields["categories"] = tuple(_decode_category(link) for link in categories)
        found.append(_model(ProductData, node, **fields))
    return found


# --- Product_AddUpdate ---------------------------------------------------------------------------


def _encode_stock(parent: soap.Element, article_number: str, stock: StockData) -> None:
    node = soap.add_container(parent, "StockData")
    soap.add(node, "ArticleNumber", article_number)
    if stock.clear_delivery_date and stock.delivery_date is None:
        soap.add(node, "DeliveryDate", None)  # xsi:nil removes the date; an empty element would fault
    _write(node, STOCK_FIELDS, stock)


def encode_products(products: Iterable[ProductData]) -> soap.Element:
    """The ``products`` parameter: one ``ProductData`` per item, only set fields."""
    param = soap.element("products")
    for product in products:
        node = soap.add_container(param, "ProductData")
        for field in PRODUCT_FIELDS:
            if field[0] == _BEFORE_CATEGORIES and product.categories:
                box = soap.add_container(node, "ProductInCategories")
                for link in product.categories:
                    _write(soap.add_container(box, "ProductInCategoryData"), CATEGORY_FIELDS, link)
            if field[0] == _BEFORE_STOCK and product.stock is not None:
                _encode_stock(node, product.article_number, product.stock)
            _write(node, (field,), product)
    return param


def decode_product_results(result: soap.Element) -> list[ProductResult]:
    """One :class:`ProductResult` per ``ProductResult`` element, in answer order."""
    found: list[ProductResult] = []
    for node in soap.children(result, "ProductResult"):
        fields = _read(node, PRODUCT_RESULT_FIELDS)
        box = soap.child(node, "ResultProductInCategoriesDataResult")
        links = soap.children(box, "ProductInCategoryData") if box is not None else []
        fields["category_results"] = tuple(_decode_category(link) for link in links)
        fields.setdefault("article_number", "")
        fields.setdefault("status", "None")
        found.append(_model(ProductResult, node, **fields))
    return found


# --- Product_Delete ------------------------------------------------------------------------------


def encode_product_delete(article_number: str, add_redirect: bool | None = None) -> soap.Element:
    """``productDeleteRequest{ArticleNumber, AddRedirect}`` (redirect targets are not modelled)."""
    param = soap.element("productDeleteRequest")
    soap.add(param, "ArticleNumber", article_number)
    if add_redirect is not None:
        soap.add(param, "AddRedirect", add_redirect)
    return param


def decode_product_delete_result(result: soap.Element) -> ProductDeleteResult:
    """``Product_DeleteResult{Identifier, Result}``."""
    return _model(
        ProductDeleteResult,
        result,
        identifier=soap.text(result, "Identifier") or "",
        result=soap.text(result, "Result") or "None",
    )


# --- PriceList_UpdateArticleIncVAT ---------------------------------------------------------------


def encode_price_rows(rows: Iterable[PriceListRow]) -> soap.Element:
    """The ``articlePriceLists`` parameter (one ``ArticlePriceListIncVat`` per row)."""
    param = soap.element("articlePriceLists")
    for row in rows:
        _write(soap.add_container(param, "ArticlePriceListIncVat"), PRICE_ROW_FIELDS, row)
    return param


def decode_price_results(result: soap.Element) -> list[PriceListRowResult]:
    """One :class:`PriceListRowResult` per ``ArticlePriceListResult``, in answer order."""
    found: list[PriceListRowResult] = []
    for node in soap.children(result, "ArticlePriceListResult"):
        fields = _read(node, PRICE_RESULT_FIELDS)
        fields.setdefault("article_number", "")
        fields.setdefault("price_list_id", "")
        fields.setdefault("success", False)
        found.append(_model(PriceListRowResult, node, **fields))
    return found
