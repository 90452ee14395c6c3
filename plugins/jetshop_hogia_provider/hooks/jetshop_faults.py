"""SOAP faults as transport errors: a ``soap:Sender`` fault is permanent even though it comes as HTTP 500.

Jetshop answers ill-typed input with HTTP 500 and a ``Sender`` fault, and rejects the whole batch
(FACT). The status alone would make it look transient, so the same bytes would be re-sent in vain. This
classifier runs before the status-code rules: ``Sender`` → :class:`SoapSenderFault` (never retried);
``Receiver`` and anything unparsable fall through to the ordinary 5xx rules. Parsing uses the shared,
DTD-refusing parser of :mod:`jetshop_hogia.soap`.
"""

from __future__ import annotations

import re

from jetshop_hogia import soap
from jetshop_hogia_provider.transport import PermanentError, TransportError, TransportResponse

_CODE = re.compile(r"[\w:.\-]{1,64}")


def fault_codes(fault: soap.SoapFault) -> str:
    """``soap:Sender`` (plus its subcode): what a log may say about a fault. The reason is free text
    written by the service, possibly quoting the customer data it refused, so it is never quoted;
    read ``fault.reason`` in code."""
    codes = [f"soap:{fault.code}", fault.subcode or ""]
    return ",".join(code for code in codes if _CODE.fullmatch(code)) or "soap fault"


class SoapSenderFault(PermanentError):
    """Jetshop refused the request itself (``soap:Sender``): fix the data, do not retry the batch.

    ``fault.reason`` holds the service's explanation; the message names only the fault codes.
    """

    def __init__(self, fault: soap.SoapFault, response: TransportResponse) -> None:
        super().__init__(
            f"SOAP Sender fault ({fault_codes(fault)}); the reason is on .fault.reason, not quoted here",
            operation=response.operation,
            status=response.status,
            response=response,
            attempts=response.attempts,
        )
        self.fault = fault


def soap_fault_classifier(response: TransportResponse, idempotent: bool) -> TransportError | None:
    """The JetshopHook's default ``fault_classifier`` (see :data:`~.transport.ResponseClassifier`)."""
    if "xml" not in response.content_type or not response.content:
        return None
    try:
        fault = soap.parse_fault(response.content, http_status=response.status)
    except soap.SoapError:  # not SOAP (a proxy's error page), unsafe or cut: status rules decide
        return None
    if fault is not None and fault.is_sender:
        return SoapSenderFault(fault, response)
    return None
