"""Conformance of the Jetshop simulator with the transport and error FACTs of shared/reference/jetshop-api.md.

One test (or parametrized case) per FACT line, named after it. Requests are written from the facts
(``jetshop_wire``), never copied from the real samples (those are replayed in test_jetshop_samples).
"""

from __future__ import annotations

import re
import time

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
from lxml import etree

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop import ENDPOINT
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

FOUR_DECIMALS = re.compile(r"-?\d+\.\d{4}\Z")
LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?\Z")


# --- Transport (FACT) ----------------------------------------------------------------------------


def test_endpoint_is_the_asmx_path(jetshop_sim: JetshopSimHandle) -> None:
    assert jetshop_sim.post(product_get("1092-10")).status_code == 200
    other = jetshop_sim.http.post(
        jetshop_sim.url + "/webservice.asmx", data=product_get("1092-10"), auth=jetshop_sim.credentials()
    )
    assert other.status_code == 404
    assert ENDPOINT == "/Webservice20/v3.0/webservice.asmx"


def test_protocol_is_soap_12_with_its_content_type_and_envelope_namespace(
    jetshop_sim: JetshopSimHandle,
) -> None:
    response = jetshop_sim.post(product_get("1092-10"))
    assert response.headers["content-type"] == "application/soap+xml; charset=utf-8"
    root = soap.parse_xml(response.content)
    assert root.tag == "{http://www.w3.org/2003/05/soap-envelope}Envelope"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_a_soap_11_content_type_is_accepted_but_answered_in_soap_12(jetshop_sim: JetshopSimHandle) -> None:
    response = jetshop_sim.http.post(
        jetshop_sim.endpoint,
        data=product_get("1092-10"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
        auth=jetshop_sim.credentials(),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == soap.CONTENT_TYPE
    json_type = jetshop_sim.http.post(
        jetshop_sim.endpoint,
        data=b"{}",
        headers={"Content-Type": "application/json"},
        auth=jetshop_sim.credentials(),
    )
    assert json_type.status_code == 415


def test_operation_namespace_is_the_literal_string_web_service_provider(
    jetshop_sim: JetshopSimHandle,
) -> None:
    response = jetshop_sim.post(product_get("1092-10"))
    body = soap.parse_xml(response.content)[0]
    assert body[0].tag == "{WebServiceProvider}Product_GetResponse"
    wrong_ns = product_get("1092-10").replace(b'xmlns="WebServiceProvider"', b'xmlns="http://tempuri.org/"')
    assert sender_fault(jetshop_sim.post(wrong_ns)).reason


def test_message_style_is_document_literal_wrapped(jetshop_sim: JetshopSimHandle) -> None:
    response = jetshop_sim.post(product_get("1092-10"))
    body = soap.parse_xml(response.content)[0]
    wrapper = body[0]
    assert names(body) == ["Product_GetResponse"]
    assert names(wrapper) == ["Product_GetResult"]
    assert names(wrapper[0]) == ["ProductData"]


@pytest.mark.parametrize(
    "auth",
    [None, ("alpha", "wrong"), ("nobody", "alpha-jetshop"), ("ALPHA", "alpha-jetshop")],
    ids=["no-credentials", "wrong-password", "unknown-user", "user-is-case-sensitive"],
)
def test_auth_is_http_basic_per_shop_and_401_without(
    jetshop_sim: JetshopSimHandle, auth: tuple[str, str] | None
) -> None:
    response = jetshop_sim.http.post(
        jetshop_sim.endpoint,
        data=product_get("1092-10"),
        headers={"Content-Type": soap.CONTENT_TYPE},
        auth=auth,
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic ")
    assert jetshop_sim.simulator.core.calls == {}, "refused before any operation ran"


def test_the_shop_id_header_is_ignored(jetshop_sim: JetshopSimHandle) -> None:
    answers = {
        jetshop_sim.post(
            request("Product_Get", {"productOptions": {"ArticleNumber": "1092-10"}}, shop_id=s)
        ).content
        for s in ("alpha", "mrplant", None)
    }
    assert len(answers) == 1


@pytest.mark.parametrize("query", ["WSDL", "wsdl"])
def test_wsdl_is_served_at_query_wsdl(jetshop_sim: JetshopSimHandle, query: str) -> None:
    response = jetshop_sim.http.get(f"{jetshop_sim.endpoint}?{query}")
    assert response.status_code == 200
    wsdl = soap.parse_xml(response.content)
    ns = {"w": "http://schemas.xmlsoap.org/wsdl/", "s12": "http://schemas.xmlsoap.org/wsdl/soap12/"}
    assert wsdl.get("targetNamespace") == "WebServiceProvider"
    operations = set(wsdl.xpath("w:binding/w:operation/@name", namespaces=ns))
    assert {
        "Product_Get",
        "Product_AddUpdate",
        "Product_Delete",
        "PriceList_UpdateArticleIncVAT",
    } <= operations
    assert {"OrderStatus_GetList", "Order_GetChangedList", "Order_Get", "Order_SetStatus"} <= operations
    assert wsdl.xpath("w:service/w:port/s12:address/@location", namespaces=ns) == [jetshop_sim.endpoint]


def test_numbers_have_a_dot_and_four_decimals(jetshop_sim: JetshopSimHandle) -> None:
    data = product_data(jetshop_sim, "1092-10")
    for field in ("Price", "DiscountedPrice", "Weight", "Volume"):
        assert FOUR_DECIMALS.match(soap.text(data, field) or ""), field
    assert soap.text(data, "Price") == "108.0000"  # 135.00 incl. 25 % VAT


@pytest.mark.parametrize(
    ("article", "vat"), [("1092-10", "0.25000000"), ("4100", "0.06000000"), ("6000", "0.00000000")]
)
def test_vat_is_a_fraction_with_eight_decimals(jetshop_sim: JetshopSimHandle, article: str, vat: str) -> None:
    assert soap.text(product_data(jetshop_sim, article), "Vat") == vat


def test_times_have_no_offset_and_variable_fraction_digits(jetshop_sim: JetshopSimHandle) -> None:
    clock = jetshop_sim.simulator.core.clock
    clock.set(soap.parse_datetime("2026-01-16T09:30:47.69"), freeze=True)
    assert jetshop_sim.post(add_update({"ArticleNumber": "1092-10", "TemplateId": "1"})).status_code == 200
    data = product_data(jetshop_sim, "1092-10")
    assert soap.text(data, "ModifiedDate") == "2026-01-16T09:30:47.69"
    clock.set(soap.parse_datetime("2026-07-01T10:00:00"), freeze=True)
    jetshop_sim.post(add_update({"ArticleNumber": "1092-10", "TemplateId": "1"}))
    data = product_data(jetshop_sim, "1092-10")
    assert soap.text(data, "ModifiedDate") == "2026-07-01T10:00:00", "summer time, whole seconds: no fraction"
    for field in ("DiscountStartDate", "DiscountEndDate", "ModifiedDate"):
        assert LOCAL_TIME.match(soap.text(data, field) or ""), field


def test_nulls_are_xsi_nil(jetshop_sim: JetshopSimHandle) -> None:
    data = product_data(jetshop_sim, "1092-10")
    for field in ("PriceListChangeInheritPricePercent", "PublishDate"):
        node = soap.child(data, field)
        assert node is not None, field
        assert soap.is_nil(node), field


def test_guids_are_upper_case_in_product_get_and_echoed_as_sent_elsewhere(
    jetshop_sim: JetshopSimHandle,
) -> None:
    guid = price_list(jetshop_sim)
    assert soap.text(product_data(jetshop_sim, "1092-10"), "PriceListIdOrName") == guid.upper()
    mixed = guid[:9].upper() + guid[9:]
    response = jetshop_sim.post(
        price_rows(
            {"ArticleNumber": "1092-10", "PriceListId": guid, "PriceIncVat": "130"},
            {"ArticleNumber": "1092-10", "PriceListId": guid.upper(), "PriceIncVat": "130"},
            {"ArticleNumber": "1092-10", "PriceListId": mixed, "PriceIncVat": "130"},
        )
    )
    result = result_of(response.content, "PriceList_UpdateArticleIncVAT")
    assert texts(result, "ArticlePriceListResult", "PriceListId") == [guid, guid.upper(), mixed]
    assert texts(result, "ArticlePriceListResult", "Success") == ["true", "true", "true"], (
        "compared ignoring case"
    )


def test_latency_is_zero_by_default_and_injectable(jetshop_sim: JetshopSimHandle) -> None:
    started = time.perf_counter()
    for _ in range(5):
        jetshop_sim.post(product_get("1092-10"))
    assert time.perf_counter() - started < 1.0
    jetshop_sim.admin("PUT", "faults", {"latency_ms_median": 150, "latency_ms_p95": 150, "seed": 1})
    started = time.perf_counter()
    jetshop_sim.post(product_get("1092-10"))
    assert time.perf_counter() - started >= 0.12


def test_there_is_no_rate_limit(jetshop_sim: JetshopSimHandle) -> None:
    statuses = {jetshop_sim.post(product_get("1092-10")).status_code for _ in range(60)}
    assert statuses == {200}
    assert jetshop_sim.admin("GET", "calls")["rate_limited"] == {}


# --- Errors (FACT) -------------------------------------------------------------------------------

ILL_TYPED = {
    "empty-int-in-price-list": (
        "PriceList_UpdateArticleIncVAT",
        lambda pl: price_rows(
            {"ArticleNumber": "1092-10", "PriceListId": pl, "PriceIncVat": "99"},
            {"ArticleNumber": "4100", "PriceListId": pl, "PriceIncVat": ""},
        ),
        "System.FormatException: Input string was not in a correct format.",
    ),
    "decimal-in-integer-price": (
        "PriceList_UpdateArticleIncVAT",
        lambda pl: price_rows(
            {"ArticleNumber": "1092-10", "PriceListId": pl, "PriceIncVat": "99"},
            {"ArticleNumber": "4100", "PriceListId": pl, "PriceIncVat": "12.50"},
        ),
        "Input string was not in a correct format.",
    ),
    "empty-delivery-date": (
        "Product_AddUpdate",
        lambda pl: add_update(
            {"ArticleNumber": "1092-10", "StockData": {"NewStockCount": "5"}},
            {"ArticleNumber": "4100", "StockData": {"NewStockCount": "5", "DeliveryDate": ""}},
        ),
        "The string '' is not a valid AllXsd value.",
    ),
    "empty-stock-count": (
        "Product_AddUpdate",
        lambda pl: add_update(
            {"ArticleNumber": "NEW-1", "Name": "x"},
            {"ArticleNumber": "4100", "StockData": {"NewStockCount": ""}},
        ),
        "Input string was not in a correct format.",
    ),
    "empty-order-id": (
        "Order_SetStatus",
        lambda pl: request(
            "Order_SetStatus",
            {
                "orderStatusUpdates": [
                    ("OrderStatusUpdate", {"OrderId": "100001", "StatusId": "3"}),
                    ("OrderStatusUpdate", {"OrderId": "", "StatusId": "3"}),
                ]
            },
        ),
        "Input string was not in a correct format.",
    ),
}


@pytest.mark.parametrize("case", sorted(ILL_TYPED))
def test_ill_typed_input_is_a_500_sender_fault_rejecting_the_whole_batch(
    jetshop_sim: JetshopSimHandle, case: str
) -> None:
    _operation, build, dotnet_message = ILL_TYPED[case]
    before = jetshop_sim.admin("GET", "state")
    fault = sender_fault(jetshop_sim.post(build(price_list(jetshop_sim))))
    assert "Server was unable to read request." in fault.reason
    assert re.search(r"There is an error in XML document \(\d+, \d+\)\.", fault.reason)
    assert dotnet_message in fault.reason
    assert "\n   at " in fault.reason, "a stack trace follows, as from ASP.NET"
    assert jetshop_sim.admin("GET", "state") == before, "nothing of the batch was applied"


def test_the_fault_position_is_the_line_and_column_of_the_bad_element(jetshop_sim: JetshopSimHandle) -> None:
    pl = price_list(jetshop_sim)
    row = f"<ArticlePriceListIncVat><ArticleNumber>1092-10</ArticleNumber><PriceListId>{pl}</PriceListId>"
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">\n'
        "<soap12:Body>\n"
        '<PriceList_UpdateArticleIncVAT xmlns="WebServiceProvider"><articlePriceLists>\n'
        f"{row}<PriceIncVat>1</PriceIncVat></ArticlePriceListIncVat>{row}<PriceIncVat>x</PriceIncVat>"
        "</ArticlePriceListIncVat>\n"
        "</articlePriceLists></PriceList_UpdateArticleIncVAT></soap12:Body></soap12:Envelope>"
    ).encode()
    line5 = body.decode().split("\n")[4]
    column = line5.index("<PriceIncVat>x") + 1
    fault = sender_fault(jetshop_sim.post(body))
    assert f"There is an error in XML document (5, {column})." in fault.reason


def test_retrying_an_ill_typed_request_fails_the_same_way(jetshop_sim: JetshopSimHandle) -> None:
    body = ILL_TYPED["empty-delivery-date"][1](price_list(jetshop_sim))
    first, again = (sender_fault(jetshop_sim.post(body)) for _ in range(2))
    assert first.reason == again.reason


def test_business_failures_are_http_200_with_a_result_per_item(jetshop_sim: JetshopSimHandle) -> None:
    pl = price_list(jetshop_sim)
    response = jetshop_sim.post(
        price_rows(
            {"ArticleNumber": "NO-SUCH-ARTICLE", "PriceListId": pl, "PriceIncVat": "10"},
            {
                "ArticleNumber": "1092-10",
                "PriceListId": "00000000-0000-0000-0000-000000000001",
                "PriceIncVat": "10",
            },
            {"ArticleNumber": "1092-10", "PriceListId": pl, "PriceIncVat": "150"},
        )
    )
    assert response.status_code == 200
    result = result_of(response.content, "PriceList_UpdateArticleIncVAT")
    assert names(result) == ["ArticlePriceListResult"] * 3
    assert names(result[0]) == ["ArticleNumber", "PriceListId", "Success", "Message"]
    assert texts(result, "ArticlePriceListResult", "Success") == ["false", "false", "true"]
    messages = texts(result, "ArticlePriceListResult", "Message")
    assert messages[0]
    assert "NO-SUCH-ARTICLE" in messages[0]
    assert messages[1]
    assert "00000000-0000-0000-0000-000000000001" in messages[1]
    assert messages[2] == ""
    assert soap.text(product_data(jetshop_sim, "1092-10"), "Price") == "120.0000", "the valid row was applied"


def test_not_found_on_product_get_is_an_empty_result(jetshop_sim: JetshopSimHandle) -> None:
    response = jetshop_sim.post(product_get("NO-SUCH-ARTICLE"))
    assert response.status_code == 200
    assert b"<Product_GetResult/>" in response.content
    assert len(result_of(response.content, "Product_Get")) == 0


def test_requests_and_responses_of_every_operation_match_the_wsdl_schema(
    jetshop_sim: JetshopSimHandle,
) -> None:
    wsdl = soap.parse_xml(jetshop_sim.http.get(f"{jetshop_sim.endpoint}?WSDL").content)
    schema_element = wsdl.find(
        "{http://schemas.xmlsoap.org/wsdl/}types/{http://www.w3.org/2001/XMLSchema}schema"
    )
    assert schema_element is not None
    schema = etree.XMLSchema(etree.fromstring(etree.tostring(schema_element)))
    guid = price_list(jetshop_sim)
    link = {"CategoryId": "170", "ProductInCategoryState": "None"}
    calls = [
        product_get("1092-10"),
        add_update(
            {
                "ArticleNumber": "1092-10",
                "ProductInCategories": [("ProductInCategoryData", link)],
                "Vat": "0.25",
            }
        ),
        price_rows(
            {
                "ArticleNumber": "1092-10",
                "PriceListId": guid,
                "PriceIncVat": "5",
                "DiscountedPriceIncVat": None,
            }
        ),
        request(
            "Product_Delete", {"productDeleteRequest": {"ArticleNumber": "7300", "AddRedirect": "false"}}
        ),
        request("OrderStatus_GetList"),
        request(
            "Order_GetChangedList", {"orderChangedRequest": {"StatusIds": [("int", {})], "PageSize": "3"}}
        ).replace(b"<int/>", b"<int>2</int>"),
        request("Order_Get", {"orderRequest": {"OrderId": "100001"}}),
        request(
            "Order_SetStatus",
            {"orderStatusUpdates": [("OrderStatusUpdate", {"OrderId": "100001", "StatusId": "3"})]},
        ),
        request("Product_GetChangedList", {"productChangedRequest": {"PageSize": "3"}}),
    ]
    for body in calls:
        operation = soap.parse_request(body).element
        assert schema.validate(etree.fromstring(etree.tostring(operation))), schema.error_log.last_error
        response = jetshop_sim.post(body)
        assert response.status_code == 200, response.text
        wrapper = soap.parse_xml(response.content)[0][0]
        assert schema.validate(etree.fromstring(etree.tostring(wrapper))), schema.error_log.last_error
