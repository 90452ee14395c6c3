"""The shared SOAP layer: value codecs, safe parsing, envelopes and faults."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jetshop_hogia import soap
from jetshop_hogia.soap import parsing

STOCKHOLM = soap.WIRE_TZ


# --- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("231.2"), "231.2000"),
        (Decimal("-0.8"), "-0.8000"),
        (Decimal("1E+2"), "100.0000"),
        (Decimal("0.00005"), "0.0001"),
        (Decimal("-1"), "-1.0000"),
        (7, "7.0000"),
    ],
)
def test_decimals_have_a_dot_and_four_places(value: Decimal, text: str) -> None:
    assert soap.format_decimal(value) == text


def test_vat_is_a_fraction_with_eight_places() -> None:
    assert soap.format_vat(Decimal("0.25")) == "0.25000000"
    assert soap.format_vat(Decimal("0")) == "0.00000000"


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (datetime(2026, 1, 16, 8, 30, 47, 690000, tzinfo=UTC), "2026-01-16T09:30:47.69"),
        (datetime(2026, 1, 16, 8, 30, 47, 500000, tzinfo=UTC), "2026-01-16T09:30:47.5"),
        (datetime(2026, 1, 22, 23, 0, tzinfo=UTC), "2026-01-23T00:00:00"),
        (datetime(2026, 7, 1, 8, 0, 0, 123456, tzinfo=UTC), "2026-07-01T10:00:00.123456"),
    ],
)
def test_times_are_stockholm_local_without_offset_and_trailing_zeros(instant: datetime, text: str) -> None:
    assert soap.format_datetime(instant) == text
    assert soap.parse_datetime(text) == instant


def test_naive_datetimes_are_refused_on_output() -> None:
    with pytest.raises(ValueError, match="aware"):
        soap.format_datetime(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-16T09:30:47.6900000", datetime(2026, 1, 16, 8, 30, 47, 690000, tzinfo=UTC)),
        ("2026-01-16T09:30:47.1234567", datetime(2026, 1, 16, 8, 30, 47, 123456, tzinfo=UTC)),
        ("2026-01-16T09:30:47Z", datetime(2026, 1, 16, 9, 30, 47, tzinfo=UTC)),
        ("2026-01-16T09:30:47+02:00", datetime(2026, 1, 16, 7, 30, 47, tzinfo=UTC)),
        (" 2026-03-29T02:30:00 ", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # in the spring gap
        ("2026-10-25T02:30:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # repeated hour: first one
    ],
)
def test_wire_times_parse_to_aware_utc(text: str, expected: datetime) -> None:
    assert soap.parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2026-01-16", "2026-01-16 09:30:47", "2026-13-01T00:00:00", "yesterday"]
)
def test_bad_times_fail_like_dotnet(text: str) -> None:
    with pytest.raises(soap.XmlValueError, match="is not a valid AllXsd value") as error:
        soap.parse_datetime(text, name="DeliveryDate")
    assert error.value.element_name == "DeliveryDate"


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_every_unambiguous_instant_survives_the_wire(instant: datetime) -> None:
    local = instant.astimezone(STOCKHOLM).replace(tzinfo=None)
    assume(
        local.replace(tzinfo=STOCKHOLM, fold=0).utcoffset()
        == local.replace(tzinfo=STOCKHOLM, fold=1).utcoffset()
    )
    assert soap.parse_datetime(soap.format_datetime(instant)) == instant


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_four_place_decimals_survive_the_wire(value: Decimal) -> None:
    assert soap.parse_decimal(soap.format_decimal(value)) == value


@pytest.mark.parametrize(
    ("text", "value"), [("123", 123), ("-1", -1), (" +5 ", 5), ("2147483647", 2**31 - 1)]
)
def test_ints_parse_like_xmlconvert(text: str, value: int) -> None:
    assert soap.parse_int(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Input string was not in a correct format."),
        ("123.5", "Input string was not in a correct format."),
        ("1e2", "Input string was not in a correct format."),
        ("2147483648", "Value was either too large or too small for an Int32."),
    ],
)
def test_bad_ints_fail_like_dotnet(text: str, message: str) -> None:
    with pytest.raises(soap.XmlValueError) as error:
        soap.parse_int(text)
    assert error.value.message == message


@pytest.mark.parametrize("text", ["", "1,5", "1e3", "NaN", "Infinity", "."])
def test_bad_decimals_fail(text: str) -> None:
    with pytest.raises(soap.XmlValueError):
        soap.parse_decimal(text)


def test_booleans_are_xsd_booleans() -> None:
    assert [soap.parse_bool(t) for t in ("true", "1", " false ", "0")] == [True, True, False, False]
    with pytest.raises(soap.XmlValueError, match="not a valid Boolean"):
        soap.parse_bool("True")


def test_guids_compare_ignoring_case_and_print_upper_case() -> None:
    guid = "7c7dfec3-2312-4dc9-a74f-913f3da0c686"
    assert soap.guids_equal(guid, guid.upper())
    assert soap.guids_equal(uuid.UUID(guid), "{" + guid.upper() + "}")
    assert not soap.guids_equal(guid, "0036268d-6d49-4a21-b0a2-3c12af44fb14")
    assert soap.format_guid(guid) == guid.upper()
    with pytest.raises(soap.XmlValueError, match="32 digits"):
        soap.parse_guid("not-a-guid")


# --- elements -------------------------------------------------------------------------------------


def test_writers_format_by_type_and_nil_none() -> None:
    parent = soap.element("x")
    soap.add(parent, "Nil", None)
    soap.add(parent, "Empty", "")
    soap.add(parent, "Flag", True)
    soap.add(parent, "Count", 3)
    soap.add(parent, "Price", Decimal("98.4"))
    soap.add(parent, "When", datetime(2026, 1, 16, 8, 30, 47, 690000, tzinfo=UTC))
    soap.add(parent, "Guid", uuid.UUID("7c7dfec3-2312-4dc9-a74f-913f3da0c686"))
    assert soap.is_nil(parent[0])
    assert soap.text(parent, "Nil", "default") == "default"
    assert soap.text(parent, "Empty") == ""
    assert [soap.text(parent, n) for n in ("Flag", "Count", "Price", "When", "Guid")] == [
        "true",
        "3",
        "98.4000",
        "2026-01-16T09:30:47.69",
        "7C7DFEC3-2312-4DC9-A74F-913F3DA0C686",
    ]
    assert soap.integer(parent, "Missing") is None
    assert soap.integer(parent, "Nil") is None
    with pytest.raises(TypeError, match="float"):
        soap.add(parent, "Money", 1.5)  # type: ignore[arg-type]


def test_readers_locate_ill_typed_elements() -> None:
    parent = soap.element("x")
    soap.add(parent, "Count", "")
    with pytest.raises(soap.XmlValueError) as error:
        soap.integer(parent, "Count")
    assert error.value.element is parent[0]


# --- safe parsing ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        b'<!doctype x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>',
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x><x/>'.encode("utf-16-le"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "utf-16-doctype"],
)
def test_documents_with_a_doctype_are_refused(document: bytes) -> None:
    with pytest.raises(soap.UnsafeXmlError):
        soap.parse_xml(document)


def test_a_doctype_that_slips_past_the_byte_scan_is_refused_after_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parsing, "_FORBIDDEN", re.compile(rb"(?!)"))
    with pytest.raises(soap.UnsafeXmlError, match="DOCTYPE"):
        soap.parse_xml(b"<!DOCTYPE x><x/>")
    with pytest.raises(soap.UnsafeXmlError, match="DOCTYPE"):
        soap.parse_xml(BILLION_LAUGHS)


def test_undeclared_entities_and_garbage_are_malformed() -> None:
    for document in (b"<x>&undeclared;</x>", b"<html><body>502 Bad Gateway", b""):
        with pytest.raises(soap.MalformedSoapError):
            soap.parse_xml(document)


def test_documents_over_the_size_bound_are_refused() -> None:
    with pytest.raises(soap.UnsafeXmlError, match="larger than"):
        soap.parse_xml(b"<x>" + b"a" * 100 + b"</x>", max_bytes=50)


def test_the_parser_is_hardened_and_per_thread() -> None:
    parsers: list[object] = []

    def grab() -> None:
        parsers.append(soap.safe_parser())
        soap.parse_xml(b"<x/>")

    threads = [threading.Thread(target=grab) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(p) for p in parsers}) == 3
    assert soap.safe_parser() is soap.safe_parser()


# --- envelopes and faults -------------------------------------------------------------------------


def test_a_request_is_document_literal_wrapped_with_a_shop_id_header() -> None:
    options = soap.element("productOptions")
    soap.add(options, "ArticleNumber", "1092-10")
    body = soap.build_request("Product_Get", options, shop_id="alpha")
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?><soap12:Envelope')
    parsed = soap.parse_request(body)
    assert (parsed.operation, parsed.shop_id, parsed.soap_version) == ("Product_Get", "alpha", "1.2")
    options_back = soap.child(parsed.element, "productOptions")
    assert options_back is not None
    assert soap.text(options_back, "ArticleNumber") == "1092-10"
    assert b"<ShopId>alpha</ShopId>" in body, "ShopId in no namespace, as real clients send it"


def test_a_response_round_trips_and_utf8_is_kept_raw() -> None:
    result = soap.start_response("Product_Get")
    data = soap.add_container(result, "ProductData")
    soap.add(data, "Name", "Åsa Öberg")
    body = soap.serialize(result)
    assert "Åsa Öberg".encode() in body
    parsed = soap.parse_response(body, "Product_Get")
    assert parsed.tag == "{WebServiceProvider}Product_GetResult"
    product = soap.child(parsed, "ProductData")
    assert product is not None
    assert soap.text(product, "Name") == "Åsa Öberg"


def test_a_missing_result_element_reads_as_an_empty_result() -> None:
    body = soap.build_response("Product_Get")
    root = soap.parse_xml(body)
    result = root.find(".//{WebServiceProvider}Product_GetResult")
    assert result is not None
    result.getparent().remove(result)
    assert len(soap.parse_response(soap.serialize(root), "Product_Get")) == 0


@pytest.mark.parametrize("body", [b"<html><body>502 Bad Gateway</body></html>", b"Bad Gateway", b""])
def test_a_proxy_error_page_is_malformed_and_keeps_the_http_status(body: bytes) -> None:
    with pytest.raises(soap.MalformedSoapError) as error:
        soap.parse_response(body, "Product_Get", http_status=502)
    assert error.value.http_status == 502


def test_the_wrong_response_element_is_malformed() -> None:
    with pytest.raises(soap.MalformedSoapError, match="Product_GetResponse") as error:
        soap.parse_response(soap.build_response("Product_Delete"), "Product_Get", http_status=200)
    assert error.value.http_status == 200


@pytest.mark.parametrize("code", ["Sender", "Receiver"])
def test_faults_round_trip(code: soap.FaultCode) -> None:
    body = soap.build_fault(
        code, "Server was unable to read request.\n   at X()", subcode="a:b", detail="more"
    )
    with pytest.raises(soap.SoapFault) as fault:
        soap.parse_response(body, "Product_Get", http_status=500)
    assert fault.value.code == code
    assert fault.value.is_sender is (code == "Sender")
    assert fault.value.reason == "Server was unable to read request.\n   at X()"
    assert (fault.value.subcode, fault.value.detail, fault.value.http_status) == ("a:b", "more", 500)
    assert "Server was unable to read request." in str(fault.value)


def test_a_fault_code_with_a_foreign_prefix_is_kept_whole() -> None:
    body = soap.build_fault("Sender", "x").replace(b"soap:Sender", b"other:Sender")
    body = body.replace(b"<soap:Value>", b'<soap:Value xmlns:other="urn:x">', 1)
    fault = soap.parse_fault(body)
    assert fault is not None
    assert fault.code == "other:Sender"


def test_requests_without_an_envelope_or_operation_are_malformed() -> None:
    foreign_operation = soap.build_request("Product_Get").replace(
        b'xmlns="WebServiceProvider"', b'xmlns="urn:x"'
    )
    for body in (b"<x/>", foreign_operation):
        with pytest.raises(soap.MalformedSoapError):
            soap.parse_request(body)
    empty_body = b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>'
    with pytest.raises(soap.MalformedSoapError, match="one operation"):
        soap.parse_request(empty_body)


def test_soap_11_requests_can_be_refused() -> None:
    body = (
        b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/">'
        b'<e:Body><Op xmlns="WebServiceProvider"/></e:Body></e:Envelope>'
    )
    assert soap.parse_request(body).soap_version == "1.1"
    with pytest.raises(soap.MalformedSoapError):
        soap.parse_request(body, allow_soap11=False)


def test_dotnet_ticks_are_cut_to_microseconds_never_rounded_into_the_next_second() -> None:
    expected = datetime(2026, 1, 16, 8, 30, 59, 999999, tzinfo=UTC)
    assert soap.parse_datetime("2026-01-16T09:30:59.9999999") == expected
