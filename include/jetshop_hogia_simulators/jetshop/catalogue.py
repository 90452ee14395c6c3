"""Product operations seen on the live service (FACT): get, add/update, delete, IncVAT price lists.

Semantics follow ``shared/reference/jetshop-api.md``: the article number is the key; one ``ProductData``
per culture, the first of a new article creates it (``SuccessNew``), the rest update; prices are stored
ex VAT (``PriceIncVat=123`` → ``98.4000``, and ``-1`` → ``-0.8000``); ``PriceIncVat`` parses as an
integer; business failures are per-item results, ill-typed input faults the whole batch (the decoders
run over every item before anything is applied).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop import product_xml
from jetshop_hogia_simulators.jetshop.calls import Call
from jetshop_hogia_simulators.jetshop.seeding import ex_vat
from jetshop_hogia_simulators.jetshop.state import CategoryLink, PriceEntry, Product, ProductTexts, ShopState


def product_get(call: Call) -> bytes:
    """``Product_Get``: the product in the requested culture (every shop culture when none is named)."""
    options = call.param("productOptions")
    article = (soap.text(options, "ArticleNumber") or "").strip()
    culture = soap.text(options, "Culture")
    result = soap.start_response("Product_Get")
    product = call.shop.products.get(article)
    if product is not None:
        for name in [culture] if culture else call.shop.cultures:
            product_xml.encode_product(result, call.shop, product, name)
    return soap.serialize(result)


def _create(shop: ShopState, article: str, call: Call) -> Product:
    product = Product(
        article_number=article,
        product_id=shop.next_product_id,
        prices={shop.default_price_list: PriceEntry(discount_start=call.now, discount_end=call.now)},
        created=call.now,
        modified=call.now,
    )
    shop.next_product_id += 1
    shop.products[article] = product
    return product


def _link_categories(
    product: Product, shop: ShopState, links: list[product_xml.CategoryInput]
) -> list[dict[str, Any]]:
    """Add or remove category links (additive; removal needs ``DeleteConnection``); one outcome each."""
    outcomes: list[dict[str, Any]] = []
    for link in links:
        current = product.categories.get(link.category_id)
        if link.delete:
            outcome = "Success" if product.categories.pop(link.category_id, None) else "NotFound"
        elif link.category_id in shop.categories:
            product.categories[link.category_id] = CategoryLink(
                category_id=link.category_id,
                sort_order=link.sort_order
                if link.sort_order is not None
                else (current.sort_order if current else 0),
                is_canonical=bool(
                    link.is_canonical if link.is_canonical is not None else current and current.is_canonical
                ),
            )
            outcome = "Success"
        else:
            outcome = "NotFound"
        outcomes.append(
            {
                "link_id": link.category_id,
                "state": "DeleteConnection" if link.delete else "None",
                "result": outcome,
                "sort_order": link.sort_order or 0,
                "is_canonical": bool(link.is_canonical),
            }
        )
    return outcomes


def _apply_stock(product: Product, stock: product_xml.StockInput) -> None:
    if stock.new_stock_count is not None:
        product.stock = stock.new_stock_count
    if stock.delivery_date_sent:
        product.delivery_date = stock.delivery_date
    if stock.stock_status_id is not None:
        product.stock_status_id = stock.stock_status_id


def _apply(
    call: Call, item: product_xml.ProductInput, culture: str
) -> tuple[Product, str, list[dict[str, Any]]]:
    shop = call.shop
    product = shop.products.get(item.article_number)
    status = "SuccessUpdate"
    if product is None:
        product, status = _create(shop, item.article_number, call), "SuccessNew"
    for culture_name in shop.cultures:
        product.texts.setdefault(culture_name, ProductTexts())
    texts = product.texts.setdefault(culture, ProductTexts())
    for attr, value in item.texts.items():
        setattr(texts, attr, value)
    for attr, value in item.product.items():
        setattr(product, attr, value)
    entry = product.prices.setdefault(shop.default_price_list, PriceEntry())
    for attr, value in item.price.items():
        setattr(entry, attr, value)
    if item.stock is not None:
        _apply_stock(product, item.stock)
    outcomes = _link_categories(product, shop, item.categories)
    product.modified = call.now
    return product, status, outcomes


def _refuse_unreadable(
    shop: ShopState, articles: list[str], nodes: list[soap.Element], element: str, xsd_type: str
) -> None:
    """Fault the whole batch, as an ill-typed value does (FACT), when it carries an "unreadable" article.

    A test driver (``PUT /_admin/products/{shop}/unreadable``): the client's own encoder never writes
    an ill-typed value, so this is how a test gets the live service's refusal of a whole batch.
    """
    for article, node in zip(articles, nodes, strict=True):
        if article in shop.unreadable_articles:
            raise soap.XmlValueError(
                element, "", xsd_type, "Input string was not in a correct format.", element=node
            )


def product_add_update(call: Call) -> bytes:
    """``Product_AddUpdate``: create or partially update products, one ``ProductResult`` per item."""
    nodes = soap.children(call.param("products"), "ProductData")
    items = [product_xml.decode_product(node) for node in nodes]
    _refuse_unreadable(call.shop, [item.article_number for item in items], nodes, "Weight", "decimal")
    result = soap.start_response("Product_AddUpdate")
    for item in items:
        culture = item.culture or call.shop.default_culture
        node = soap.add_container(result, "ProductResult")
        if not item.article_number or culture not in call.shop.cultures:
            existing = call.shop.products.get(item.article_number)
            _product_result(
                node, item.article_number, existing.product_id if existing else 0, culture, "None"
            )
            continue
        product, status, outcomes = _apply(call, item, culture)
        categories = _product_result(node, item.article_number, product.product_id, culture, status)
        for outcome in outcomes:
            product_xml.encode_category(categories, call.shop, product, **outcome)
        soap.add(node, "ResultStockCreateUpdate", "Success" if item.stock is not None else "None")
        soap.add(node, "ResultAttributeCreateUpdate", "None")
        soap.add(node, "ResultAttributeCreateMissing", "None")
    return soap.serialize(result)


def _product_result(
    node: soap.Element, article: str, product_id: int, culture: str, status: str
) -> soap.Element:
    """The head of a ``ProductResult``; returns the category results container. A skipped item ends here."""
    soap.add(node, "ArticleNumber", article)
    soap.add(node, "ProductId", product_id)
    soap.add(node, "Culture", culture)
    soap.add(node, "StatusMainProductCreateDelete", status)
    categories = soap.add_container(node, "ResultProductInCategoriesDataResult")
    if status == "None":
        for name in (
            "ResultStockCreateUpdate",
            "ResultAttributeCreateUpdate",
            "ResultAttributeCreateMissing",
        ):
            soap.add(node, name, "None")
    return categories


def product_delete(call: Call) -> bytes:
    """``Product_Delete``: ``{Identifier, Result}`` with ``Success`` or ``NotFound``."""
    request = call.param("productDeleteRequest")
    soap.boolean(request, "AddRedirect")
    article = (soap.text(request, "ArticleNumber") or "").strip()
    result = soap.start_response("Product_Delete")
    soap.add(result, "Identifier", article)
    if not article:
        soap.add(result, "Result", "None")
    elif call.shop.products.pop(article, None) is not None:
        soap.add(result, "Result", "Success")
    else:
        soap.add(result, "Result", "NotFound")
    return soap.serialize(result)


@dataclass
class _PriceRow:
    article_number: str
    price_list_sent: str
    price_list: str
    price_inc_vat: int | None
    discounted_inc_vat: int | None
    flags: dict[str, Any]


def _decode_price_row(node: soap.Element) -> _PriceRow:
    sent = soap.text(node, "PriceListId") or ""
    parsed = soap.guid(node, "PriceListId")
    flags = {
        "hide_product": soap.boolean(node, "HideProduct"),
        "discounted_price_is_member_price": soap.boolean(node, "DiscountedPriceIsMemberPrice"),
        "use_discount_date_span": soap.boolean(node, "UseDiscountDateSpan"),
        "discount_start": soap.timestamp(node, "DiscountStartDate"),
        "discount_end": soap.timestamp(node, "DiscountEndDate"),
    }
    return _PriceRow(
        article_number=(soap.text(node, "ArticleNumber") or "").strip(),
        price_list_sent=sent,
        price_list=str(parsed) if parsed else "",
        price_inc_vat=soap.integer(node, "PriceIncVat"),
        discounted_inc_vat=soap.integer(node, "DiscountedPriceIncVat"),
        flags={key: value for key, value in flags.items() if value is not None},
    )


def _apply_price_row(call: Call, row: _PriceRow) -> str:
    """Apply one row; returns the failure message, or '' on success."""
    product = call.shop.products.get(row.article_number)
    if product is None:
        return f"Product with article number '{row.article_number}' was not found."
    if call.shop.price_list_currency(row.price_list) is None:
        return f"Price list '{row.price_list_sent}' was not found."
    entry = product.prices.setdefault(row.price_list, PriceEntry())
    if row.price_inc_vat is not None:
        entry.price = ex_vat(Decimal(row.price_inc_vat), product.vat)
    if row.discounted_inc_vat is not None:  # -1 ("no campaign") is divided too: the live quirk
        entry.discounted_price = ex_vat(Decimal(row.discounted_inc_vat), product.vat)
    for attr, value in row.flags.items():
        setattr(entry, attr, value)
    product.modified = call.now
    return ""


def price_list_update_inc_vat(call: Call) -> bytes:
    """``PriceList_UpdateArticleIncVAT``: one ``ArticlePriceListResult`` per row, GUID echoed as sent."""
    nodes = soap.children(call.param("articlePriceLists"), "ArticlePriceListIncVat")
    rows = [_decode_price_row(n) for n in nodes]
    _refuse_unreadable(call.shop, [row.article_number for row in rows], nodes, "PriceIncVat", "int")
    result = soap.start_response("PriceList_UpdateArticleIncVAT")
    for row in rows:
        message = _apply_price_row(call, row)
        node = soap.add_container(result, "ArticlePriceListResult")
        soap.add(node, "ArticleNumber", row.article_number)
        soap.add(node, "PriceListId", row.price_list_sent)
        soap.add(node, "Success", not message)
        soap.add(node, "Message", message)
    return soap.serialize(result)
