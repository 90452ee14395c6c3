"""Conformance of the Jetshop simulator with the operation and semantics FACTs of jetshop-api.md.

One test (or parametrized case) per FACT line, named after it. Requests are written from the facts
(``jetshop_wire``), never copied from the real samples (those are replayed in test_jetshop_samples).
"""

from __future__ import annotations

import re

import pytest
from jetshop_wire import (
    add_update,
    names,
    price_list,
    price_rows,
    product_data,
    product_get,
    request,
    result_of,
    sender_fault,
    texts,
)

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

FOUR_DECIMALS = re.compile(r"-?\d+\.\d{4}\Z")
LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?\Z")


# --- Operations seen live (FACT) -----------------------------------------------------------------


def test_product_get_returns_one_product_data_per_culture(jetshop_sim: JetshopSimHandle) -> None:
    one = result_of(jetshop_sim.post(product_get("1092-10", "nb-NO"), "beta").content, "Product_Get")
    assert texts(one, "ProductData", "Culture") == ["nb-NO"]
    every = result_of(jetshop_sim.post(product_get("1092-10", None), "beta").content, "Product_Get")
    assert texts(every, "ProductData", "Culture") == ["sv-SE", "nb-NO"]
    assert len(set(texts(every, "ProductData", "ProductId"))) == 1


def test_product_add_update_first_culture_creates_the_rest_update(jetshop_sim: JetshopSimHandle) -> None:
    item = {
        "ArticleNumber": "9000-1",
        "TemplateId": "1",
        "StockData": {"ArticleNumber": "9000-1", "NewStockCount": "7"},
    }
    body = add_update(
        item | {"Culture": "sv-SE", "Name": "Ny"}, item | {"Culture": "nb-NO", "Name": "Ny (NO)"}
    )
    result = result_of(jetshop_sim.post(body, "beta").content, "Product_AddUpdate")
    assert texts(result, "ProductResult", "StatusMainProductCreateDelete") == ["SuccessNew", "SuccessUpdate"]
    assert names(result[0]) == [
        "ArticleNumber",
        "ProductId",
        "Culture",
        "StatusMainProductCreateDelete",
        "ResultProductInCategoriesDataResult",
        "ResultStockCreateUpdate",
        "ResultAttributeCreateUpdate",
        "ResultAttributeCreateMissing",
    ]
    assert texts(result, "ProductResult", "ResultStockCreateUpdate") == ["Success", "Success"]
    product_ids = texts(result, "ProductResult", "ProductId")
    assert product_ids[0] == product_ids[1]
    assert int(product_ids[0] or 0) > 0
    again = result_of(jetshop_sim.post(body, "beta").content, "Product_AddUpdate")
    assert texts(again, "ProductResult", "StatusMainProductCreateDelete") == [
        "SuccessUpdate",
        "SuccessUpdate",
    ]
    assert soap.text(product_data(jetshop_sim, "9000-1", "nb-NO", "beta"), "Name") == "Ny (NO)"
    assert soap.text(product_data(jetshop_sim, "9000-1", "sv-SE", "beta"), "Name") == "Ny"


def test_product_delete_answers_success_then_not_found(jetshop_sim: JetshopSimHandle) -> None:
    body = request(
        "Product_Delete", {"productDeleteRequest": {"ArticleNumber": "7300", "AddRedirect": "false"}}
    )
    first = result_of(jetshop_sim.post(body).content, "Product_Delete")
    assert names(first) == ["Identifier", "Result"]
    assert (soap.text(first, "Identifier"), soap.text(first, "Result")) == ("7300", "Success")
    assert soap.text(result_of(jetshop_sim.post(body).content, "Product_Delete"), "Result") == "NotFound"
    assert len(result_of(jetshop_sim.post(product_get("7300")).content, "Product_Get")) == 0


def test_images_are_uploaded_by_file_name_and_linked_by_article(jetshop_sim: JetshopSimHandle) -> None:
    upload = request(
        "UploadImage",
        {"imageFileOptions": [("ImageFileOptions", {"ImageByte": "aGVsbG8=", "FileName": "1092-10.a.jpg"})]},
    )
    uploaded = result_of(jetshop_sim.post(upload).content, "UploadImage")
    assert names(uploaded[0]) == ["FileName", "ImageName", "Message", "Success"]
    assert soap.text(uploaded[0], "Success") == "true"
    link = request(
        "Product_AddUpdateImages",
        {
            "articleNumbers": [("ArticleNumberImages", {"ArticleNumber": "1092-10", "Reload": "true"})],
            "divider": ".",
        },
    )
    linked = result_of(jetshop_sim.post(link).content, "Product_AddUpdateImages")
    assert [soap.text(linked[0], "Identifier"), soap.text(linked[0], "ResultType")] == ["1092-10", "Success"]
    assert "1092-10.a.jpg" in (soap.text(product_data(jetshop_sim, "1092-10"), "ImagesXml") or "")


def test_product_data_has_the_fields_seen_live(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.post(
        add_update({"ArticleNumber": "1092-10", "StockData": {"DeliveryDate": "2026-12-01T00:00:00"}})
    )
    data = product_data(jetshop_sim, "1092-10")
    fields = set(names(data))
    assert {
        "ArticleNumber", "Culture", "Name", "SubName", "ShortDescription", "ProductDescription", "Price",
        "DiscountedPrice", "DiscountStartDate", "DiscountEndDate", "UseDiscountDateSpan",
        "DiscountedPriceIsMemberPrice", "Vat", "PriceListIdOrName", "HidePrice", "HideProduct", "ProductId",
        "TemplateId", "EanCode", "Manufacturer", "Weight", "Volume", "ModifiedDate", "HasAttributes",
        "StockData", "ProductInCategories",
    } <= fields  # fmt: skip
    stock = soap.child(data, "StockData")
    assert stock is not None
    assert set(names(stock)) == {
        "DeliveryDate", "NewStockCount", "StockStatusId", "StockStatusName", "UseAdvancedStatus",
        "StockStatusWhenOutOfStock",
    }  # fmt: skip
    link = next(soap.items(data, "ProductInCategories", "ProductInCategoryData"))
    assert {"CategoryId", "SortOrder", "IsCanonical", "ProductInCategoryState"} <= set(names(link))
    assert int(soap.text(data, "ProductId") or "x") > 0


# --- Semantics (FACT) ----------------------------------------------------------------------------


def test_the_article_number_is_the_key_and_each_shop_has_its_own_catalogue(
    jetshop_sim: JetshopSimHandle,
) -> None:
    jetshop_sim.post(add_update({"ArticleNumber": "ONLY-ALPHA", "Name": "a"}), "alpha")
    assert len(result_of(jetshop_sim.post(product_get("ONLY-ALPHA"), "alpha").content, "Product_Get")) == 1
    assert len(result_of(jetshop_sim.post(product_get("ONLY-ALPHA"), "gamma").content, "Product_Get")) == 0
    ids = {
        soap.text(product_data(jetshop_sim, "1092-10", shop=shop), "ProductId") for shop in ("alpha", "gamma")
    }
    assert len(ids) == 1, "the catalogue is seeded identically into every shop"


def test_price_inc_vat_123_is_stored_ex_vat_as_98_4000(jetshop_sim: JetshopSimHandle) -> None:
    row = {"ArticleNumber": "1092-10", "PriceListId": price_list(jetshop_sim), "PriceIncVat": "123"}
    assert jetshop_sim.post(price_rows(row)).status_code == 200
    assert soap.text(product_data(jetshop_sim, "1092-10"), "Price") == "98.4000"


def test_prices_are_divided_by_the_articles_own_vat(jetshop_sim: JetshopSimHandle) -> None:
    row = {"ArticleNumber": "4100", "PriceListId": price_list(jetshop_sim), "PriceIncVat": "106"}
    jetshop_sim.post(price_rows(row))
    assert soap.text(product_data(jetshop_sim, "4100"), "Price") == "100.0000"  # food at 6 % in Nov 2026


def test_discounted_price_inc_vat_minus_one_is_stored_as_minus_0_8000(jetshop_sim: JetshopSimHandle) -> None:
    row = {"ArticleNumber": "1092-10", "PriceListId": price_list(jetshop_sim), "PriceIncVat": "123"}
    jetshop_sim.post(price_rows(row | {"DiscountedPriceIncVat": "-1"}))
    data = product_data(jetshop_sim, "1092-10")
    assert soap.text(data, "DiscountedPrice") == "-0.8000"
    jetshop_sim.post(price_rows(row | {"DiscountedPriceIncVat": "100"}))
    assert soap.text(product_data(jetshop_sim, "1092-10"), "DiscountedPrice") == "80.0000"


@pytest.mark.parametrize("value", ["123.5", "", "12,5", "1e2", "9999999999"])
def test_price_inc_vat_parses_as_an_integer(jetshop_sim: JetshopSimHandle, value: str) -> None:
    row = {
        "ArticleNumber": "1092-10",
        "PriceListId": price_list(jetshop_sim),
        "DiscountedPriceIncVat": value,
    }
    fault = sender_fault(jetshop_sim.post(price_rows(row)))
    assert "Int32" in fault.reason or "Input string was not in a correct format." in fault.reason


def test_a_nil_integer_price_leaves_the_price_unchanged(jetshop_sim: JetshopSimHandle) -> None:
    row = {"ArticleNumber": "1092-10", "PriceListId": price_list(jetshop_sim), "PriceIncVat": None}
    assert jetshop_sim.post(price_rows(row)).status_code == 200
    assert soap.text(product_data(jetshop_sim, "1092-10"), "Price") == "108.0000"


def test_price_lists_are_configured_guids_and_cannot_be_listed(jetshop_sim: JetshopSimHandle) -> None:
    beta = jetshop_sim.admin("GET", "shops")[1]
    assert [c["currency"] for c in beta["channels"]] == ["SEK", "NOK"]
    fault = sender_fault(jetshop_sim.post(request("PriceList_GetList")))
    assert "PriceList_GetList" in fault.reason


def test_stock_is_written_through_product_add_update(jetshop_sim: JetshopSimHandle) -> None:
    stock = {"ArticleNumber": "1092-10", "NewStockCount": "0", "DeliveryDate": "2026-12-24T00:00:00"}
    jetshop_sim.post(add_update({"ArticleNumber": "1092-10", "StockData": stock}))
    data = soap.child(product_data(jetshop_sim, "1092-10"), "StockData")
    assert data is not None
    assert [soap.text(data, f) for f in ("NewStockCount", "DeliveryDate", "StockStatusName")] == [
        "0",
        "2026-12-24T00:00:00",
        "Kommer datum",
    ]
    jetshop_sim.post(add_update({"ArticleNumber": "1092-10", "StockData": {"NewStockCount": "12"}}))
    data = soap.child(product_data(jetshop_sim, "1092-10"), "StockData")
    assert data is not None
    assert soap.text(data, "DeliveryDate") == "2026-12-24T00:00:00", "omitted: unchanged"
    assert soap.text(data, "NewStockCount") == "12"
    jetshop_sim.post(add_update({"ArticleNumber": "1092-10", "StockData": {"DeliveryDate": None}}))
    data = soap.child(product_data(jetshop_sim, "1092-10"), "StockData")
    assert data is not None
    assert soap.child(data, "DeliveryDate") is None, "nil clears it"


def test_category_links_are_additive_and_removed_with_delete_connection(
    jetshop_sim: JetshopSimHandle,
) -> None:
    def categories() -> list[str | None]:
        data = product_data(jetshop_sim, "1092-10")
        return [
            soap.text(n, "CategoryId")
            for n in soap.items(data, "ProductInCategories", "ProductInCategoryData")
        ]

    assert categories() == ["150", "151"]
    link = {"CategoryId": "170", "SortOrder": "2", "IsCanonical": "false", "ProductInCategoryState": "None"}
    body = add_update({"ArticleNumber": "1092-10", "ProductInCategories": [("ProductInCategoryData", link)]})
    result = result_of(jetshop_sim.post(body).content, "Product_AddUpdate")
    outcome = next(soap.items(result[0], "ResultProductInCategoriesDataResult", "ProductInCategoryData"))
    assert soap.text(outcome, "Result") == "Success"
    assert categories() == ["150", "151", "170"], "added, none removed"
    delete = {"CategoryId": "151", "ProductInCategoryState": "DeleteConnection"}
    jetshop_sim.post(
        add_update({"ArticleNumber": "1092-10", "ProductInCategories": [("ProductInCategoryData", delete)]})
    )
    assert categories() == ["150", "170"]
    bad = {"CategoryId": "151", "ProductInCategoryState": "Remove"}
    body = add_update({"ArticleNumber": "1092-10", "ProductInCategories": [("ProductInCategoryData", bad)]})
    assert "is not a valid value for ProductInCategoryState" in sender_fault(jetshop_sim.post(body)).reason


def test_variants_are_own_articles_and_the_parent_has_attributes(jetshop_sim: JetshopSimHandle) -> None:
    assert soap.text(product_data(jetshop_sim, "2201"), "HasAttributes") == "true"
    assert soap.text(product_data(jetshop_sim, "2201-60"), "HasAttributes") == "false"


def test_modified_date_moves_on_every_change(jetshop_sim: JetshopSimHandle) -> None:
    before = soap.text(product_data(jetshop_sim, "1092-10"), "ModifiedDate")
    jetshop_sim.admin("POST", "clock", {"advance_seconds": 60})
    row = {"ArticleNumber": "1092-10", "PriceListId": price_list(jetshop_sim), "PriceIncVat": "140"}
    jetshop_sim.post(price_rows(row))
    after_price = soap.text(product_data(jetshop_sim, "1092-10"), "ModifiedDate")
    jetshop_sim.admin("POST", "clock", {"advance_seconds": 60})
    jetshop_sim.admin("PATCH", "products/alpha/1092-10", {"stock": 3})
    after_stock = soap.text(product_data(jetshop_sim, "1092-10"), "ModifiedDate")
    assert before is not None
    assert after_price is not None
    assert after_stock is not None
    assert soap.parse_datetime(before) < soap.parse_datetime(after_price) < soap.parse_datetime(after_stock)
