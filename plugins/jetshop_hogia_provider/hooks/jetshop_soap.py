"""What the Jetshop operation modules share: the ``soap_call`` contract and unusable-answer errors.

The operation modules (:mod:`.jetshop_products`, :mod:`.jetshop_orders`) are mixins of
:class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`. They only build parameter elements and decode
result elements; :meth:`SoapOperations.soap_call` (implemented by the hook) does envelope, transport,
fault handling and safe parsing. A decoding problem becomes :class:`JetshopResponseError` with a
redacted message, so an answer full of customer data never ends up in a log through an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from jetshop_hogia import soap
from jetshop_hogia_provider.transport import PermanentError, TransportResponse
from jetshop_hogia_provider.transport.redaction import redact_excerpt

T = TypeVar("T")
Params = soap.Element | Sequence[soap.Element] | None


class JetshopResponseError(PermanentError):
    """Jetshop answered 2xx, but the answer is unusable: unsafe XML (DOCTYPE, entities), not SOAP, a fault
    inside a 2xx, or values that do not fit the model. Retrying gets the same bytes, so it is permanent."""

    def __init__(self, message: str, *, operation: str, response: TransportResponse | None = None) -> None:
        super().__init__(
            message,
            operation=operation,
            status=response.status if response is not None else None,
            response=response,
            attempts=response.attempts if response is not None else 1,
        )


def describe_soap_error(error: soap.SoapError) -> str:
    """A short, redacted description of a SOAP-layer error (values may be customer data)."""
    return f"{type(error).__name__}: {redact_excerpt(str(error))}"


def decode_result(operation: str, decoder: Callable[[soap.Element], T], result: soap.Element) -> T:
    """Run ``decoder`` on a result element; ill-typed answers become :class:`JetshopResponseError`."""
    try:
        return decoder(result)
    except soap.SoapError as exc:
        raise JetshopResponseError(
            f"answer does not fit the model: {describe_soap_error(exc)}", operation=operation
        ) from None


def check_item_count(operation: str, sent: int, received: int) -> None:
    """Per-item answers must match the request one to one, or results would be attributed wrongly."""
    if sent != received:
        raise JetshopResponseError(
            f"sent {sent} items but got {received} results; cannot tell which item failed",
            operation=operation,
        )


class SoapOperations:
    """The contract the operation mixins rely on; :class:`JetshopHook` implements it."""

    def soap_call(self, operation: str, params: Params = None, *, idempotent: bool) -> soap.Element:
        """Call ``operation`` with parameter elements and return its ``…Result`` element."""
        raise NotImplementedError

    @property
    def cultures(self) -> tuple[str, ...]:
        """The shop's cultures in write order (from the connection)."""
        raise NotImplementedError
