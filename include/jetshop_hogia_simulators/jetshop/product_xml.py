"""``ProductData`` on the wire (FACT shape from the live service), for the simulator's product calls.

Writing follows the element order of real ``Product_Get`` answers; reading is a partial update: only
elements present in the request change the product, as the live ``Product_AddUpdate`` call that sends
just ``ArticleNumber``, ``Culture``, ``TemplateId`` and ``StockData`` shows. Every typed element is
parsed before anything is applied, so one ill-typed value rejects the whole batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jetshop_hogia import soap
from jetshop_hogia.apimodel.jetshop_xml_kinds import KIND_READERS
from jetshop_hogia_simulators.jetshop.state import PriceEntry, Product, ProductTexts, ShopState

STOCK_STATUS_NAMES = {1: "I lager", 2: "Slut i lager", 3: "Beställningsvara", 9: "Kommer datum"}
IN_STOCK, OUT_OF_STOCK, COMING = 1, 2, 9
CATEGORY_STATES = ("None", "DeleteConnection")

TEXTS = {"Name": "name", "SubName": "sub_name", "ShortDescription": "short_description"}
TEXTS["ProductDescription"] = "product_description"
PRODUCT_FIELDS = (
    ("Vat", "vat", "dec"),
    ("TemplateId", "template_id", "int"),
    ("EanCode", "ean_code", "str"),
    ("Manufacturer", "manufacturer", "str"),
    ("Weight", "weight", "dec"),
    ("Volume", "volume", "dec"),
    ("HasAttributes", "has_attributes", "bool"),
    ("HidePrice", "hide_price", "bool"),
    ("HideProduct", "hide_product", "bool"),
)
PRICE_FIELDS = (
    ("Price", "price", "dec"),
    ("DiscountedPrice", "discounted_price", "dec"),
    ("DiscountStartDate", "discount_start", "dt"),
    ("DiscountEndDate", "discount_end", "dt"),
    ("UseDiscountDateSpan", "use_discount_date_span", "bool"),
    ("DiscountedPriceIsMemberPrice", "discounted_price_is_member_price", "bool"),
)
# Read-only or unmodelled elements: still type-checked, as .NET deserialises them before the call.
CHECKED_ONLY = (
    ("ProductId", "int"),
    ("FreightClassId", "int"),
    ("IsSynchronized", "int"),
    ("QuantitySuffix", "int"),
    ("ModifiedDate", "dt"),
    ("PublishDate", "dt"),
    ("PriceListChangeInheritPricePercent", "dec"),
    ("HasSpecification", "bool"),
    ("ShowSendTip", "bool"),
    ("UseStockNotification", "bool"),
)


@dataclass
class StockInput:
    """``StockData`` of a request; ``delivery_date_sent`` distinguishes "omitted" from "nil"."""

    new_stock_count: int | None = None
    delivery_date: Any = None
    delivery_date_sent: bool = False
    stock_status_id: int | None = None


@dataclass
class CategoryInput:
    """One ``ProductInCategoryData`` of a request."""

    category_id: int
    sort_order: int | None
    is_canonical: bool | None
    delete: bool


@dataclass
class ProductInput:
    """One decoded ``ProductData`` element: only what the request sent."""

    article_number: str
    culture: str | None
    texts: dict[str, str] = field(default_factory=dict)
    product: dict[str, Any] = field(default_factory=dict)
    price: dict[str, Any] = field(default_factory=dict)
    stock: StockInput | None = None
    categories: list[CategoryInput] = field(default_factory=list)


def _present(parent: soap.Element, fields: tuple[tuple[str, str, str], ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for xml_name, attr, kind in fields:
        value = KIND_READERS[kind](parent, xml_name)
        if value is not None:
            found[attr] = value
    return found


def _category_state(node: soap.Element) -> bool:
    state = soap.text(node, "ProductInCategoryState")
    if state is None or state == "":
        return False
    if state not in CATEGORY_STATES:
        raise soap.XmlValueError(
            "ProductInCategoryState",
            state,
            "ProductInCategoryState",
            f"Instance validation error: '{state}' is not a valid value for ProductInCategoryState.",
            dotnet_exception="System.InvalidOperationException",
            element=soap.child(node, "ProductInCategoryState"),
        )
    return state == "DeleteConnection"


def decode_product(node: soap.Element) -> ProductInput:
    """One request ``ProductData`` (raises ``XmlValueError`` for any ill-typed element)."""
    for xml_name, kind in CHECKED_ONLY:
        KIND_READERS[kind](node, xml_name)
    item = ProductInput(
        article_number=(soap.text(node, "ArticleNumber") or "").strip(), culture=soap.text(node, "Culture")
    )
    item.texts = {attr: value for xml, attr in TEXTS.items() if (value := soap.text(node, xml)) is not None}
    item.product = _present(node, PRODUCT_FIELDS)
    item.price = _present(node, PRICE_FIELDS)
    stock = soap.child(node, "StockData")
    if stock is not None and not soap.is_nil(stock):
        soap.boolean(stock, "UseAdvancedStatus")
        soap.integer(stock, "StockStatusWhenOutOfStock")
        item.stock = StockInput(
            new_stock_count=soap.integer(stock, "NewStockCount"),
            delivery_date=soap.timestamp(stock, "DeliveryDate"),
            delivery_date_sent=soap.has(stock, "DeliveryDate"),
            stock_status_id=soap.integer(stock, "StockStatusId"),
        )
    for link in soap.items(node, "ProductInCategories", "ProductInCategoryData"):
        category_id = soap.integer(link, "CategoryId")
        if category_id is None:
            raise soap.XmlValueError(
                "CategoryId", "", "int", "Input string was not in a correct format.", element=link
            )
        delete = _category_state(link)
        item.categories.append(
            CategoryInput(
                category_id, soap.integer(link, "SortOrder"), soap.boolean(link, "IsCanonical"), delete
            )
        )
    return item


def stock_status(product: Product) -> int:
    """The stock status id shown: the one set explicitly, else derived from count and delivery date."""
    if product.stock_status_id is not None:
        return product.stock_status_id
    if product.stock > 0:
        return IN_STOCK
    return COMING if product.delivery_date is not None else OUT_OF_STOCK


def status_name(status_id: int) -> str:
    """The Swedish name of a stock status id."""
    return STOCK_STATUS_NAMES.get(status_id, f"Status {status_id}")


def encode_category(
    parent: soap.Element, shop: ShopState, product: Product, link_id: int, **extra: Any
) -> None:
    """One ``ProductInCategoryData`` (state ``None``; ``extra`` overrides ``Result``/state/sort)."""
    link = product.categories.get(link_id)
    node = soap.add_container(parent, "ProductInCategoryData")
    soap.add(node, "ArticleNumber", product.article_number)
    soap.add(node, "CategoryId", link_id)
    soap.add(node, "CategoryName", shop.categories.get(link_id, ""))
    soap.add(node, "ProductId", product.product_id)
    soap.add(node, "ProductInCategoryState", extra.get("state", "None"))
    soap.add(node, "Result", extra.get("result", "None"))
    soap.add(node, "SortOrder", extra.get("sort_order", link.sort_order if link else 0))
    soap.add(node, "IsCanonical", extra.get("is_canonical", link.is_canonical if link else False))


def encode_product(parent: soap.Element, shop: ShopState, product: Product, culture: str) -> None:
    """Append the ``ProductData`` of ``product`` in ``culture`` (element order of the live service)."""
    texts = product.texts.get(culture) or ProductTexts()
    entry = product.prices.get(shop.default_price_list) or PriceEntry()
    status = stock_status(product)
    add = soap.add
    node = soap.add_container(parent, "ProductData")
    add(node, "ArticleNumber", product.article_number)
    add(node, "Culture", culture)
    add(node, "DescriptionUrl", "")
    add(node, "DiscountEndDate", entry.discount_end or product.created)
    add(node, "DiscountStartDate", entry.discount_start or product.created)
    add(node, "DiscountedPrice", entry.discounted_price)
    if product.ean_code is not None:
        add(node, "EanCode", product.ean_code)
    add(node, "FreightClassId", 1)
    add(node, "HasAttributes", product.has_attributes)
    add(node, "HasSpecification", False)
    add(node, "HidePrice", product.hide_price)
    add(node, "HideProduct", product.hide_product)
    if product.images:
        images = "".join(
            f'<I i="{name}" alt="{name}" title="{name}" so="{i + 1}" />'
            for i, name in enumerate(product.images)
        )
        add(node, "ImagesXml", f"<Images>{images}</Images>")
    add(node, "IsSynchronized", 1)
    for name in ("Manufacturer", "ManufacturerArtnr", "ManufacturerModel", "MetaDescription", "MetaKeywords"):
        add(node, name, product.manufacturer if name == "Manufacturer" else "")
    add(node, "Name", texts.name)
    add(node, "PageTitle", "")
    add(node, "Price", entry.price)
    add(node, "PriceListChangeInheritPricePercent", None)
    add(node, "PriceListIdOrName", soap.format_guid(shop.default_price_list))
    add(node, "ProductDescription", texts.product_description)
    add(node, "ProductId", product.product_id)
    if product.categories:
        box = soap.add_container(node, "ProductInCategories")
        for category_id in product.categories:
            encode_category(box, shop, product, category_id)
    add(node, "QuantitySuffix", 0)
    add(node, "RelatedProductsText", "")
    add(node, "ShortDescription", texts.short_description)
    add(node, "ShowSendTip", False)
    stock = soap.add_container(node, "StockData")
    if product.delivery_date is not None:
        add(stock, "DeliveryDate", product.delivery_date)
    add(stock, "NewStockCount", product.stock)
    add(stock, "StockStatusId", status)
    add(stock, "StockStatusName", status_name(status))
    add(stock, "UseAdvancedStatus", False)
    add(stock, "StockStatusWhenOutOfStock", COMING)
    add(node, "StockStatusName", status_name(status))
    add(node, "SubName", texts.sub_name)
    add(node, "Permalink", product.article_number)
    add(node, "SynchStatus", "Ignore")
    add(node, "TemplateId", product.template_id)
    for name in ("UseAttributeChooseText", "UseComment", "UseCommentRequired", "UseDescriptionUrl"):
        add(node, name, False)
    add(node, "UseDiscountDateSpan", entry.use_discount_date_span)
    add(node, "Vat", soap.format_vat(product.vat))
    add(node, "Volume", product.volume)
    add(node, "Weight", product.weight)
    add(node, "PublishDate", None)
    add(node, "SearchKeys", "")
    add(node, "UseStockNotification", False)
    add(node, "DiscountedPriceIsMemberPrice", entry.discounted_price_is_member_price)
    add(node, "ModifiedDate", product.modified)
