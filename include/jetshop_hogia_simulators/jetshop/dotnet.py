"""Fault texts as ASP.NET ASMX writes them, so clients are tested against the real wording (FACT).

The real service answers ill-typed input with ``soap:Sender`` and a ``SoapException`` whose reason
nests the ``XmlSerializer`` error, its (line, column) in the request, the .NET exception and a stack
trace. Clients must not parse this text; tests of the hook check that it is surfaced, not retried.
"""

from __future__ import annotations

import re
from typing import Any

from jetshop_hogia import soap

_SOAP_EXCEPTION = "System.Web.Services.Protocols.SoapException"
_READ_STACK = (
    "   at System.Xml.Serialization.XmlSerializer.Deserialize(XmlReader xmlReader, String encodingStyle, "
    "XmlDeserializationEvents events)\n"
    "   --- End of inner exception stack trace ---\n"
    "   at System.Web.Services.Protocols.SoapServerProtocol.ReadParameters()\n"
    "   at System.Web.Services.Protocols.WebServiceHandler.CoreProcessRequest()"
)
_PROCESS_STACK = (
    "   at System.Web.Services.Protocols.LogicalMethodInfo.Invoke(Object target, Object[] values)\n"
    "   at System.Web.Services.Protocols.WebServiceHandler.Invoke()\n"
    "   --- End of inner exception stack trace ---"
)


def _line(element: soap.Element | None) -> int | None:
    """lxml's source line (its stubs type it oddly, hence the Any)."""
    line: Any = element.sourceline if element is not None else None
    return int(line) if line is not None else None


def position(raw: bytes, element: soap.Element | None) -> tuple[int, int]:
    """(line, column), 1-based, of the ``<`` of ``element``'s start tag in the request bytes.

    That is where .NET points: the live fault for an empty ``DeliveryDate`` says (9, 190), the column
    of ``<DeliveryDate>`` right after ``</NewStockCount>`` in that request's layout. lxml knows the
    line only; the column is found by counting same-named start tags on that line.
    """
    line_no = _line(element)
    if element is None or line_no is None:
        return (1, 1)
    lines = raw.split(b"\n")
    if line_no > len(lines):
        return (line_no, 1)
    line = lines[line_no - 1].decode("utf-8", "replace")
    root = element.getroottree().getroot()
    same_line = [node for node in root.iter(element.tag) if _line(node) == line_no]
    index = same_line.index(element) if element in same_line else 0
    pattern = re.compile(r"<(?:[\w.-]+:)?" + re.escape(soap.local_name(element)) + r"(?=[\s/>])")
    matches = list(pattern.finditer(line))
    if index >= len(matches):
        return (line_no, 1)
    return (line_no, matches[index].start() + 1)


def unreadable_request(error: soap.XmlValueError, raw: bytes) -> str:
    """The reason of the Sender fault for an ill-typed value anywhere in the request."""
    line, column = position(raw, error.element)
    return (
        f"{_SOAP_EXCEPTION}: Server was unable to read request. ---> System.InvalidOperationException: "
        f"There is an error in XML document ({line}, {column}). ---> "
        f"{error.dotnet_exception}: {error.message}\n"
        f"{_READ_STACK}"
    )


def unreadable_xml(message: str) -> str:
    """The reason for a request that is not well-formed XML or not a SOAP message."""
    return (
        f"{_SOAP_EXCEPTION}: Server was unable to read request. ---> System.Xml.XmlException: {message}\n"
        f"{_READ_STACK}"
    )


def unknown_operation(operation: str) -> str:
    """The reason for a Body element that names no operation of the service."""
    return (
        f"{_SOAP_EXCEPTION}: Server did not recognize the value of HTTP Header SOAPAction: "
        f"WebServiceProvider/{operation}."
    )


def invalid_argument(message: str) -> str:
    """The reason for a well-typed request the operation refuses as a whole (MODEL: PageSize range)."""
    return (
        f"{_SOAP_EXCEPTION}: Server was unable to process request. ---> System.ArgumentOutOfRangeException: "
        f"{message}\n{_PROCESS_STACK}"
    )


def server_error(message: str) -> str:
    """The reason of a Receiver fault (injected 5xx)."""
    return (
        f"{_SOAP_EXCEPTION}: Server was unable to process request. ---> System.Exception: {message}\n"
        f"{_PROCESS_STACK}"
    )
