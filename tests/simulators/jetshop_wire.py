"""Helpers of the Jetshop simulator tests: requests written from the FACTs, raw where a test needs it.

``request(op, {param: value})`` builds a SOAP 1.2 request where a value is a ``str`` (written verbatim,
so ill-typed text like ``""`` or ``"12.50"`` can be sent), ``None`` (``xsi:nil``), a ``dict`` (child
elements) or a list of ``(item_name, dict)`` (repeated items).
"""

from __future__ import annotations

from typing import Any

import requests
from lxml import etree

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def _fill(parent: soap.Element, spec: Any) -> None:
    if isinstance(spec, dict):
        for name, value in spec.items():
            if isinstance(value, (dict, list)):
                _fill(soap.add_container(parent, name), value)
            else:
                soap.add(parent, name, value)
    elif isinstance(spec, list):
        for item_name, item in spec:
            _fill(soap.add_container(parent, item_name), item)
    else:
        raise TypeError(spec)


def request(operation: str, params: dict[str, Any] | None = None, shop_id: str | None = "alpha") -> bytes:
    """A request for ``operation`` with parameters described by ``params``."""
    op = soap.start_request(operation, shop_id)
    _fill(op, params or {})
    return soap.serialize(op)


def product_get(article: str, culture: str | None = "sv-SE") -> bytes:
    """``Product_Get`` for one article (every culture when ``culture`` is None)."""
    options: dict[str, Any] = {"ArticleNumber": article}
    if culture is not None:
        options["Culture"] = culture
    return request("Product_Get", {"productOptions": options})


def price_rows(*rows: dict[str, Any]) -> bytes:
    """``PriceList_UpdateArticleIncVAT`` with the given ``ArticlePriceListIncVat`` rows."""
    items = [("ArticlePriceListIncVat", row) for row in rows]
    return request("PriceList_UpdateArticleIncVAT", {"articlePriceLists": items})


def add_update(*products: dict[str, Any]) -> bytes:
    """``Product_AddUpdate`` with the given ``ProductData`` elements."""
    return request("Product_AddUpdate", {"products": [("ProductData", p) for p in products]})


def result_of(body: bytes, operation: str) -> soap.Element:
    """The parsed ``…Result`` element (raises ``SoapFault``)."""
    return soap.parse_response(body, operation)


def names(element: soap.Element) -> list[str]:
    """Local names of the element children, in order."""
    return [soap.local_name(child) for child in element if isinstance(child.tag, str)]


def texts(result: soap.Element, item: str, field: str) -> list[str | None]:
    """``field`` of every ``item`` child of ``result``."""
    return [soap.text(node, field) for node in soap.children(result, item)]


def raw_child_text(body: bytes, path: str) -> str | None:
    """Text at an XPath (local names, ``w:`` prefix for WebServiceProvider) in a response body."""
    root = soap.parse_xml(body)
    found = root.xpath(path, namespaces={"w": soap.OPERATION_NS})
    return found[0].text if found else None


def tostring(element: soap.Element) -> str:
    """Debug output."""
    return etree.tostring(element, encoding="unicode")


def price_list(sim: JetshopSimHandle, shop: str = "alpha", index: int = 0) -> str:
    """The configured price-list GUID (lower case) of a shop's channel."""
    return sim.simulator.state.shops[shop].channels[index].price_list_id


def product_data(
    sim: JetshopSimHandle, article: str, culture: str | None = "sv-SE", shop: str = "alpha"
) -> soap.Element:
    """The ``ProductData`` ``Product_Get`` answers (asserts it was found)."""
    response = sim.post(product_get(article, culture), shop)
    assert response.status_code == 200
    data = soap.child(result_of(response.content, "Product_Get"), "ProductData")
    assert data is not None, f"{article} not found"
    return data


def sender_fault(response: requests.Response) -> soap.SoapFault:
    """The ``soap:Sender`` fault of an HTTP 500 answer (asserts all of that)."""
    assert response.status_code == 500
    assert response.headers["content-type"] == soap.CONTENT_TYPE
    fault = soap.parse_fault(response.content, http_status=response.status_code)
    assert fault is not None
    assert fault.code == "Sender"
    return fault
