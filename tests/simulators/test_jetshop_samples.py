"""Replay the real requests of shared/reference/jetshop-soap-samples against the simulator.

The samples are read from outside the repository at test time (never copied in). Each response must
have the shape of the real one: the same element names in the same order, allowing for the elements
.NET leaves out when a value is null (an EAN code, images, categories, a delivery date). The two real
faults are reproduced by making the sample requests ill-typed in the way the faults describe.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

SAMPLES = Path(
    os.environ.get(
        "JETSHOP_SOAP_SAMPLES", Path(__file__).resolve().parents[3] / "shared/reference/jetshop-soap-samples"
    )
)
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no real Jetshop samples at {SAMPLES}")
REQUESTS = sorted(p.name for p in SAMPLES.glob("*_request.xml")) if SAMPLES.is_dir() else []
OMITTED_WHEN_NULL = {"EanCode", "ImagesXml", "ProductInCategories", "DeliveryDate"}
SHOP = "beta"  # the seeded shop with both cultures the samples use (sv-SE, nb-NO)


def _shape(element: soap.Element) -> list[tuple[str, list[object]]]:
    return [
        (soap.local_name(child), _shape(child))
        for child in element
        if isinstance(child.tag, str) and soap.local_name(child) not in OMITTED_WHEN_NULL
    ]


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _post(sim: JetshopSimHandle, body: bytes) -> bytes:
    response = sim.post(body, SHOP)
    assert response.headers["content-type"] == soap.CONTENT_TYPE
    return response.content


def _first_line_of_reason(text: str) -> str:
    first = text.splitlines()[0]
    return first.split("SOAP Fault: soap:Sender - ", 1)[-1]


@pytest.mark.parametrize("request_name", REQUESTS)
def test_real_requests_get_responses_shaped_like_the_real_ones(
    jetshop_sim: JetshopSimHandle, request_name: str
) -> None:
    body = _sample(request_name)
    try:
        soap.parse_xml(body)
    except soap.SoapError:
        pytest.skip(f"{request_name} was cut in the log (image payload)")
    operation = request_name.removesuffix("_request.xml")
    ours = soap.parse_xml(_post(jetshop_sim, body))
    real = soap.parse_xml(_sample(f"{operation}_response.xml"))
    assert _shape(ours) == _shape(real)
    assert soap.local_name(ours) == "Envelope"
    assert ours.nsmap == real.nsmap, "same prefixes: soap, xsi, xsd"


def test_product_data_elements_come_in_the_order_of_the_full_real_answer(
    jetshop_sim: JetshopSimHandle,
) -> None:
    recovering = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    real_full = etree.fromstring(_sample("Product_Get_response_full.xml"), recovering)
    real_data = real_full.find(".//{WebServiceProvider}ProductData")
    assert real_data is not None
    article = soap.text(real_data, "ArticleNumber") or ""
    request = _sample("Product_Get_request.xml").replace(b"3489-99-1", article.encode())
    ours = soap.child(soap.parse_response(_post(jetshop_sim, request), "Product_Get"), "ProductData")
    assert ours is not None
    real_names = [soap.local_name(c) for c in real_data if isinstance(c.tag, str)][:-1]  # the last one is cut
    our_names = [soap.local_name(c) for c in ours]
    assert set(real_names) - set(our_names) <= OMITTED_WHEN_NULL
    common = set(real_names) & set(our_names)
    assert [n for n in our_names if n in common] == [n for n in real_names if n in common]


def test_the_real_empty_delivery_date_fault_is_reproduced_at_the_same_position(
    jetshop_sim: JetshopSimHandle,
) -> None:
    request = _sample("Product_AddUpdate_request.xml").replace(
        b"</NewStockCount></StockData>", b"</NewStockCount><DeliveryDate></DeliveryDate></StockData>", 1
    )
    response = jetshop_sim.post(request, SHOP)
    assert response.status_code == 500
    fault = soap.parse_fault(response.content)
    assert fault is not None
    assert fault.is_sender
    assert _first_line_of_reason(fault.reason) == _first_line_of_reason(
        _sample("Product_AddUpdate_FAULT.txt").decode()
    )


def test_the_real_integer_price_fault_is_reproduced(jetshop_sim: JetshopSimHandle) -> None:
    request = _sample("PriceList_UpdateArticleIncVAT_request.xml").replace(
        b"<PriceIncVat>123</PriceIncVat>", b"<PriceIncVat></PriceIncVat>", 1
    )
    response = jetshop_sim.post(request, SHOP)
    fault = soap.parse_fault(response.content)
    assert fault is not None
    assert fault.is_sender
    real = _first_line_of_reason(_sample("PriceList_UpdateArticleIncVAT_FAULT.txt").decode())

    def positionless(text: str) -> str:
        return re.sub(r"\(\d+, \d+\)", "(line, column)", _first_line_of_reason(text))

    assert positionless(fault.reason) == positionless(real)


# --- values, not only shape -----------------------------------------------------------------------
ECHOES_AND_STATUSES = {
    "ArticleNumber",
    "Culture",
    "Identifier",
    "Message",
    "PriceListId",
    "Result",
    "ResultAttributeCreateMissing",
    "ResultAttributeCreateUpdate",
    "ResultStockCreateUpdate",
    "StatusMainProductCreateDelete",
    "Success",
}
"""Elements whose text must equal the real answer's when the shop's state matches the sample's."""
SAME_STATE = ("Product_AddUpdate", "Product_Delete", "PriceList_UpdateArticleIncVAT")
"""Operations whose sample request meets the same state in the simulator as it did live: a new article,
an absent article, and (after :func:`_configure_sample_price_lists`) the three price lists it names."""
_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$")
_GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def _leaves(element: soap.Element, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Every text leaf by its path (local names, with the position among same-named siblings)."""
    found: dict[tuple[str, ...], str] = {}
    seen: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = soap.local_name(child)
        seen[name] = seen.get(name, 0) + 1
        here = (*path, f"{name}[{seen[name]}]")
        if len(child):
            found.update(_leaves(child, here))
        elif soap.is_nil(child):
            found[here] = "<nil>"
        else:
            found[here] = child.text or ""
    return found


def _format(text: str) -> str:
    """The format class of a value: decimals with their places, integers, booleans, times, GUID case."""
    if (match := _DECIMAL.match(text)) is not None:
        return f"decimal({len(match.group(1))})"
    if re.fullmatch(r"-?\d+", text):
        return "integer"
    if text in ("true", "false"):
        return "boolean"
    if _DATETIME.match(text):
        return "datetime without offset"
    if _GUID.match(text):
        return (
            "GUID upper" if text == text.upper() else "GUID lower" if text == text.lower() else "GUID mixed"
        )
    return "text"


def _configure_sample_price_lists(sim: JetshopSimHandle, body: bytes) -> None:
    """Give the shop the price lists the sample request names (live they were configured in the shop)."""
    from jetshop_hogia_simulators.jetshop.state import Channel

    guids = re.findall(rb"<PriceListId>([^<]+)</PriceListId>", body)
    with sim.simulator.lock:
        shop = sim.simulator.state.shops[SHOP]
        known = {c.price_list_id for c in shop.channels}
        for index, guid in enumerate(dict.fromkeys(g.decode().lower() for g in guids)):
            if guid not in known:
                shop.channels.append(
                    Channel(
                        channel_id=100 + index,
                        name=f"Sample {index}",
                        currency="SEK",
                        culture="sv-SE",
                        price_list_id=guid,
                    )
                )


@pytest.mark.parametrize("request_name", REQUESTS)
def test_real_requests_get_the_real_values_and_number_formats(
    jetshop_sim: JetshopSimHandle, request_name: str
) -> None:
    body = _sample(request_name)
    try:
        soap.parse_xml(body)
    except soap.SoapError:
        pytest.skip(f"{request_name} was cut in the log (image payload)")
    operation = request_name.removesuffix("_request.xml")
    if operation == "PriceList_UpdateArticleIncVAT":
        _configure_sample_price_lists(jetshop_sim, body)
    ours = _leaves(soap.parse_xml(_post(jetshop_sim, body)))
    real = _leaves(soap.parse_xml(_sample(f"{operation}_response.xml")))

    common = sorted(set(ours) & set(real))
    assert common, "the answers share no element"
    formats = {path: (_format(real[path]), _format(ours[path])) for path in common}
    assert {p: f for p, f in formats.items() if f[0] != f[1]} == {}
    if operation in SAME_STATE:
        checked = {p: real[p] for p in common if p[-1].split("[")[0] in ECHOES_AND_STATUSES}
        assert checked, "no echo or status to compare"
        assert {p: ours[p] for p in checked} == checked


def test_the_no_campaign_quirk_and_stored_prices_read_back_as_live(jetshop_sim: JetshopSimHandle) -> None:
    """Live: PriceIncVat 123 stored as Price 98.4000 and DiscountedPriceIncVat -1 as -0.8000 (FACT)."""
    price_request = _sample("PriceList_UpdateArticleIncVAT_request.xml")
    _configure_sample_price_lists(jetshop_sim, price_request)
    with jetshop_sim.simulator.lock:  # the sample's first price list is the product's default one
        shop = jetshop_sim.simulator.state.shops[SHOP]
        first = next(c for c in shop.channels if c.price_list_id == "7c7dfec3-2312-4dc9-a74f-913f3da0c686")
        shop.channels.remove(first)
        shop.channels.insert(0, first)
    _post(jetshop_sim, price_request)

    answer = soap.parse_response(_post(jetshop_sim, _sample("Product_Get_request.xml")), "Product_Get")
    product = soap.child(answer, "ProductData")
    assert product is not None

    assert soap.text(product, "Price") == "98.4000"
    assert soap.text(product, "DiscountedPrice") == "-0.8000"
    assert soap.text(product, "Vat") == "0.25000000"
    assert soap.text(product, "PriceListIdOrName") == "7C7DFEC3-2312-4DC9-A74F-913F3DA0C686"
