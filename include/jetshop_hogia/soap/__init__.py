"""SOAP 1.2 for Jetshop's ASMX service, shared by the simulator (server) and the JetshopHook (client).

Typical client use::

    from jetshop_hogia import soap

    params = soap.element("productOptions")
    soap.add(params, "ArticleNumber", "1092-10")
    soap.add(params, "Culture", "sv-SE")
    body = soap.build_request("Product_Get", params, shop_id="alpha")
    # POST body with Content-Type soap.CONTENT_TYPE and HTTP Basic auth, then:
    result = soap.parse_response(response.content, "Product_Get", http_status=response.status_code)
    for product in soap.children(result, "ProductData"):
        price = soap.decimal(product, "Price")

``parse_response`` raises :class:`SoapFault` (``.code`` ``"Sender"`` — do not retry — or
``"Receiver"``), :class:`MalformedSoapError` (not SOAP: a proxy page, a cut answer) and
:class:`UnsafeXmlError` (DOCTYPE, entities, too large).
"""

from jetshop_hogia.soap.elements import (
    OPERATION_NS,
    XSD_NS,
    XSI_NS,
    Element,
    XmlScalar,
    add,
    add_container,
    boolean,
    child,
    children,
    decimal,
    element,
    guid,
    has,
    integer,
    is_nil,
    items,
    local_name,
    qname,
    text,
    timestamp,
)
from jetshop_hogia.soap.envelope import (
    CONTENT_TYPE,
    SOAP11_NS,
    SOAP12_NS,
    SoapRequest,
    build_fault,
    build_request,
    build_response,
    fault_from_body,
    parse_fault,
    parse_request,
    parse_response,
    serialize,
    start_request,
    start_response,
)
from jetshop_hogia.soap.errors import (
    FaultCode,
    MalformedSoapError,
    SoapError,
    SoapFault,
    UnsafeXmlError,
    XmlValueError,
)
from jetshop_hogia.soap.parsing import MAX_MESSAGE_BYTES, parse_xml, safe_parser
from jetshop_hogia.soap.values import (
    WIRE_TZ,
    format_bool,
    format_datetime,
    format_decimal,
    format_guid,
    format_vat,
    guids_equal,
    parse_bool,
    parse_datetime,
    parse_decimal,
    parse_guid,
    parse_int,
)

__all__ = [
    "CONTENT_TYPE",
    "MAX_MESSAGE_BYTES",
    "OPERATION_NS",
    "SOAP11_NS",
    "SOAP12_NS",
    "WIRE_TZ",
    "XSD_NS",
    "XSI_NS",
    "Element",
    "FaultCode",
    "MalformedSoapError",
    "SoapError",
    "SoapFault",
    "SoapRequest",
    "UnsafeXmlError",
    "XmlScalar",
    "XmlValueError",
    "add",
    "add_container",
    "boolean",
    "build_fault",
    "build_request",
    "build_response",
    "child",
    "children",
    "decimal",
    "element",
    "fault_from_body",
    "format_bool",
    "format_datetime",
    "format_decimal",
    "format_guid",
    "format_vat",
    "guid",
    "guids_equal",
    "has",
    "integer",
    "is_nil",
    "items",
    "local_name",
    "parse_bool",
    "parse_datetime",
    "parse_decimal",
    "parse_fault",
    "parse_guid",
    "parse_int",
    "parse_request",
    "parse_response",
    "parse_xml",
    "qname",
    "safe_parser",
    "serialize",
    "start_request",
    "start_response",
    "text",
    "timestamp",
]
