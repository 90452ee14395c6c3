"""What an operation handler gets and may raise: one shop's state, the parsed request, one timestamp.

Handlers are plain functions ``(Call) -> bytes`` registered with whether they write; the app does auth,
fault injection, persistence and error mapping around them, so each handler is only the semantics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.state import JetshopState, ShopState


class RequestRejected(Exception):
    """A well-typed request refused as a whole (answered with a ``soap:Sender`` fault)."""


@dataclass(frozen=True)
class Call:
    """One SOAP call: the caller's shop, the whole state (mails, captures) and the change stamp."""

    shop: ShopState
    state: JetshopState
    request: soap.SoapRequest
    now: datetime

    @property
    def op(self) -> soap.Element:
        """The operation element; its children are the parameters."""
        return self.request.element

    def param(self, name: str) -> soap.Element:
        """Parameter ``name``, or an empty element when it was not sent."""
        found = soap.child(self.request.element, name)
        return found if found is not None and not soap.is_nil(found) else soap.element(name)


Handler = Callable[[Call], bytes]


@dataclass(frozen=True)
class Operation:
    """A served operation: its handler and whether it changes state (then persisted, lost-response)."""

    handler: Handler
    writes: bool
