"""What the Jetshop operation modules share: the ``soap_call`` contract and unusable-answer errors.

The operation modules (:mod:`.jetshop_products`, :mod:`.jetshop_orders`) are mixins of
:class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`. They only build parameter elements and decode
result elements; :meth:`SoapOperations.soap_call` (implemented by the hook) does envelope, transport,
fault handling and safe parsing, and :meth:`SoapOperations.call_in_batches` sends per-item writes in
chunks. A decoding problem becomes :class:`JetshopResponseError` with a
redacted message, so an answer full of customer data never ends up in a log through an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from jetshop_hogia import soap
from jetshop_hogia_provider.hooks.jetshop_faults import fault_codes
from jetshop_hogia_provider.transport import PermanentError, TransportResponse
from jetshop_hogia_provider.transport.redaction import redact_excerpt

T = TypeVar("T")
ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")
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
    """A short, redacted description of a SOAP-layer error (values may be customer data).

    A fault is named by its codes only: its reason is the service's free text (see ``fault_codes``).
    """
    if isinstance(error, soap.SoapFault):
        return f"SoapFault: {fault_codes(error)}"
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


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SoapOperations:
    """The contract the operation mixins rely on; :class:`JetshopHook` implements it."""

    def soap_call(self, operation: str, params: Params = None, *, idempotent: bool) -> soap.Element:
        """Call ``operation`` with parameter elements and return its ``…Result`` element."""
        raise NotImplementedError

    def call_in_batches(
        self,
        operation: str,
        items: Sequence[ItemT],
        batch_size: int,
        encode: Callable[[Sequence[ItemT]], Params],
        decode: Callable[[soap.Element], Sequence[ResultT]],
    ) -> list[ResultT]:
        """One idempotent ``operation`` call per chunk of ``items``; the per-item results, in order.

        Each answer must hold exactly one result per item sent, or results would be attributed to the
        wrong items (:func:`check_item_count`). A faulting chunk raises; earlier chunks stay applied.
        """
        results: list[ResultT] = []
        for batch in chunks(items, batch_size):
            result = self.soap_call(operation, encode(batch), idempotent=True)
            decoded = decode_result(operation, decode, result)
            check_item_count(operation, len(batch), len(decoded))
            results.extend(decoded)
        return results

    @property
    def cultures(self) -> tuple[str, ...]:
        """The shop's cultures in write order (from the connection)."""
        raise NotImplementedError
