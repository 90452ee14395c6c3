"""SOAP 1.2 envelopes as ASP.NET ASMX writes and reads them: document/literal wrapped.

A request is ``<Envelope><Header><ShopId>…</ShopId></Header><Body><Op xmlns="WebServiceProvider">
<param>…</param></Op></Body></Envelope>``; its answer is ``<OpResponse><OpResult>…`` or a ``Fault``.
The same functions serve the simulator (parse requests, build responses and faults) and the hook
(build requests, parse responses and faults), so both ends agree byte for byte on the framing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from jetshop_hogia.soap.elements import DEFAULT_NSMAP, OPERATION_NS, XSD_NS, XSI_NS, Element, local_name
from jetshop_hogia.soap.errors import FaultCode, MalformedSoapError, SoapFault
from jetshop_hogia.soap.parsing import MAX_MESSAGE_BYTES, parse_xml

SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
"""The Content-Type of every SOAP 1.2 message (FACT)."""
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _s(name: str) -> str:
    return f"{{{SOAP12_NS}}}{name}"


@dataclass(frozen=True)
class SoapRequest:
    """A parsed request: the operation's name and element (its children are the parameters)."""

    operation: str
    element: Element
    shop_id: str | None
    soap_version: str


def serialize(element: Element) -> bytes:
    """The whole document ``element`` belongs to, UTF-8 with the declaration .NET writes."""
    root = element.getroottree().getroot()
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8", xml_declaration=False)


def start_request(operation: str, shop_id: str | None = None) -> Element:
    """A new request envelope; returns the ``<operation>`` element to append parameters to.

    ``shop_id`` becomes the ``<ShopId>`` SOAP header real clients send (the service ignores it).
    """
    root = etree.Element(_s("Envelope"), nsmap={"soap12": SOAP12_NS, "xsi": XSI_NS, "xsd": XSD_NS})
    if shop_id is not None:
        header = etree.SubElement(root, _s("Header"))
        etree.SubElement(header, "ShopId").text = shop_id
    body = etree.SubElement(root, _s("Body"))
    return etree.SubElement(body, f"{{{OPERATION_NS}}}{operation}", nsmap=DEFAULT_NSMAP)


def build_request(
    operation: str, params: Element | Iterable[Element] | None = None, shop_id: str | None = None
) -> bytes:
    """A complete request: ``params`` are the parameter elements (``<productOptions>`` …) in order."""
    op = start_request(operation, shop_id)
    if isinstance(params, etree._Element):
        op.append(params)
    elif params is not None:
        for param in params:
            op.append(param)
    return serialize(op)


def start_response(operation: str) -> Element:
    """A new response envelope; returns the empty ``<operationResult>`` element to fill."""
    root = etree.Element(_s("Envelope"), nsmap={"soap": SOAP12_NS, "xsi": XSI_NS, "xsd": XSD_NS})
    body = etree.SubElement(root, _s("Body"))
    response = etree.SubElement(body, f"{{{OPERATION_NS}}}{operation}Response", nsmap=DEFAULT_NSMAP)
    return etree.SubElement(response, f"{{{OPERATION_NS}}}{operation}Result")


def build_response(operation: str, result_children: Iterable[Element] = ()) -> bytes:
    """A complete response whose ``<operationResult>`` holds ``result_children``."""
    result = start_response(operation)
    for node in result_children:
        result.append(node)
    return serialize(result)


def build_fault(
    code: FaultCode, reason: str, *, subcode: str | None = None, detail: str | None = None
) -> bytes:
    """A SOAP 1.2 fault document (``soap:Sender`` for bad input, ``soap:Receiver`` for server errors)."""
    root = etree.Element(_s("Envelope"), nsmap={"soap": SOAP12_NS, "xsi": XSI_NS, "xsd": XSD_NS})
    fault = etree.SubElement(etree.SubElement(root, _s("Body")), _s("Fault"))
    code_el = etree.SubElement(fault, _s("Code"))
    etree.SubElement(code_el, _s("Value")).text = f"soap:{code}"
    if subcode is not None:
        etree.SubElement(etree.SubElement(code_el, _s("Subcode")), _s("Value")).text = subcode
    reason_text = etree.SubElement(etree.SubElement(fault, _s("Reason")), _s("Text"))
    reason_text.set(_XML_LANG, "en")
    reason_text.text = reason
    detail_el = etree.SubElement(fault, _s("Detail"))
    if detail:
        detail_el.text = detail
    return serialize(root)


def _split_envelope(data: bytes, *, max_bytes: int, http_status: int | None) -> tuple[Element, Element, str]:
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except MalformedSoapError as exc:
        raise MalformedSoapError(str(exc), http_status=http_status) from exc
    namespace = etree.QName(root).namespace
    if local_name(root) != "Envelope" or namespace not in (SOAP12_NS, SOAP11_NS):
        raise MalformedSoapError(f"not a SOAP envelope: <{root.tag}>", http_status=http_status)
    body = root.find(f"{{{namespace}}}Body")
    if body is None:
        raise MalformedSoapError("SOAP envelope without a Body", http_status=http_status)
    return root, body, namespace or ""


def parse_request(
    data: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES, allow_soap11: bool = True
) -> SoapRequest:
    """Parse a request (server side). Raises ``UnsafeXmlError`` or ``MalformedSoapError``."""
    root, body, namespace = _split_envelope(data, max_bytes=max_bytes, http_status=None)
    if namespace == SOAP11_NS and not allow_soap11:
        raise MalformedSoapError("SOAP 1.1 envelopes are not accepted")
    operations = [node for node in body if isinstance(node.tag, str)]
    if len(operations) != 1:
        raise MalformedSoapError(f"the SOAP Body must hold one operation element, not {len(operations)}")
    op = operations[0]
    if etree.QName(op).namespace != OPERATION_NS:
        raise MalformedSoapError(f"unknown operation element <{op.tag}> (namespace must be {OPERATION_NS})")
    shop_id = None
    header = root.find(f"{{{namespace}}}Header")
    if header is not None:
        for node in header:
            if isinstance(node.tag, str) and local_name(node) == "ShopId":
                shop_id = (node.text or "").strip()
    return SoapRequest(local_name(op), op, shop_id, "1.1" if namespace == SOAP11_NS else "1.2")


def fault_from_body(body: Element, *, http_status: int | None = None) -> SoapFault | None:
    """The fault in a parsed SOAP 1.2 Body, or None when it holds none."""
    fault = body.find(_s("Fault"))
    if fault is None:
        return None
    value = fault.find(f"{_s('Code')}/{_s('Value')}")
    code = _resolve_code(value)
    subcode_el = fault.find(f"{_s('Code')}/{_s('Subcode')}/{_s('Value')}")
    reason_el = fault.find(f"{_s('Reason')}/{_s('Text')}")
    detail_el = fault.find(_s("Detail"))
    detail = "".join(str(part) for part in detail_el.itertext()).strip() if detail_el is not None else ""
    return SoapFault(
        code,
        (reason_el.text or "") if reason_el is not None else "",
        subcode=(subcode_el.text or "").strip() if subcode_el is not None else None,
        detail=detail or None,
        http_status=http_status,
    )


def _resolve_code(value: Element | None) -> str:
    """``soap:Sender`` → ``Sender`` when the prefix is the SOAP 1.2 namespace."""
    if value is None or not value.text:
        return "Receiver"
    raw = value.text.strip()
    prefix, _, name = raw.rpartition(":")
    if not prefix:
        return raw
    return name if value.nsmap.get(prefix) == SOAP12_NS else raw


def parse_fault(
    data: bytes, *, http_status: int | None = None, max_bytes: int = MAX_MESSAGE_BYTES
) -> SoapFault | None:
    """The fault a response document carries, or None (raises for documents that are not SOAP)."""
    _, body, _ = _split_envelope(data, max_bytes=max_bytes, http_status=http_status)
    return fault_from_body(body, http_status=http_status)


def parse_response(
    data: bytes, operation: str, *, http_status: int | None = None, max_bytes: int = MAX_MESSAGE_BYTES
) -> Element:
    """The ``<operationResult>`` element of a response (client side).

    Raises :class:`SoapFault` when the Body holds a fault, ``MalformedSoapError`` when the document is
    not the expected SOAP 1.2 response and ``UnsafeXmlError`` when it was refused. A response without
    a result element (a .NET ``null``) gives an empty, detached result element: "nothing found".
    """
    _, body, _ = _split_envelope(data, max_bytes=max_bytes, http_status=http_status)
    fault = fault_from_body(body, http_status=http_status)
    if fault is not None:
        raise fault
    response = body.find(f"{{{OPERATION_NS}}}{operation}Response")
    if response is None:
        found = [node.tag for node in body if isinstance(node.tag, str)]
        raise MalformedSoapError(f"expected <{operation}Response>, got {found}", http_status=http_status)
    result = response.find(f"{{{OPERATION_NS}}}{operation}Result")
    if result is None:
        return etree.Element(f"{{{OPERATION_NS}}}{operation}Result", nsmap=DEFAULT_NSMAP)
    return result
