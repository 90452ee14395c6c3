"""The errors of the SOAP layer, typed so that callers can decide what is worth retrying.

- :class:`SoapFault` is an answer from the other side (a SOAP 1.2 ``Fault``): ``Sender`` faults are the
  caller's mistake and fail the same way when retried; ``Receiver`` faults may be transient.
- :class:`UnsafeXmlError` means a document was refused before or while parsing (DOCTYPE, entities, too
  large) — never retry, never log the payload in full.
- :class:`MalformedSoapError` means the bytes were not a usable SOAP 1.2 message (not XML, no envelope,
  no ``…Response`` element): usually a proxy's HTML error page or a truncated answer.
- :class:`XmlValueError` means one element held a value of the wrong type (an empty ``int``): the
  server side turns it into a ``Sender`` fault that rejects the whole batch, as ASP.NET does.
"""

from __future__ import annotations

from typing import Any, Literal

FaultCode = Literal["Sender", "Receiver", "MustUnderstand", "VersionMismatch", "DataEncodingUnknown"]
"""The local names of the SOAP 1.2 fault codes (``soap:Sender`` on the wire)."""


class SoapError(Exception):
    """Base of every error raised by :mod:`jetshop_hogia.soap`."""


class SoapFault(SoapError):
    """A SOAP 1.2 fault: ``code`` is the local name (``Sender``/``Receiver``), ``reason`` its text."""

    def __init__(
        self,
        code: FaultCode | str,
        reason: str,
        *,
        subcode: str | None = None,
        detail: str | None = None,
        http_status: int | None = None,
    ) -> None:
        first_line = reason.splitlines()[0] if reason else ""
        super().__init__(f"soap:{code}: {first_line}")
        self.code = code
        self.reason = reason
        self.subcode = subcode
        self.detail = detail
        self.http_status = http_status

    @property
    def is_sender(self) -> bool:
        """The request itself was wrong: retrying the same bytes fails the same way."""
        return self.code == "Sender"

    @property
    def is_receiver(self) -> bool:
        """The server failed: a retry may succeed."""
        return self.code == "Receiver"


class UnsafeXmlError(SoapError):
    """A document was refused for safety: it has a DOCTYPE, entities, or is larger than allowed."""


class MalformedSoapError(SoapError):
    """The bytes are not a usable SOAP 1.2 message (not XML, wrong envelope, missing elements)."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class XmlValueError(SoapError, ValueError):
    """One element's text is not a valid value of its XML Schema type.

    ``dotnet_exception`` and ``message`` are what .NET's ``XmlSerializer`` reports for the same input
    (``FormatException`` / ``Input string was not in a correct format.``), so a simulator can answer
    with the same fault text the real service gives.
    """

    def __init__(
        self,
        element_name: str,
        value: str,
        xsd_type: str,
        message: str,
        *,
        dotnet_exception: str = "System.FormatException",
        element: Any = None,
    ) -> None:
        super().__init__(f"<{element_name}> holds {value!r}, not a valid {xsd_type}: {message}")
        self.element_name = element_name
        self.value = value
        self.xsd_type = xsd_type
        self.message = message
        self.dotnet_exception = dotnet_exception
        self.element = element
        """The offending lxml element (for its source line), when known."""
