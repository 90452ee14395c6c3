"""One invoice into Hogia at most once: create, and find out what happened when the answer is lost.

Hogia honours no idempotency key (MODEL): the same body posted twice is two invoices. The order's natural
key, ``customerOrderNumber`` (plus the ``channelTag`` for tenants with several shops, whose order numbers
are only unique per shop), is searchable, and this module uses it to turn every failure into one of a few
outcomes the writer can record truthfully in the ledger:

- ``CREATED`` / ``FOUND`` — the invoice exists (made now, or by an attempt whose answer was lost);
- ``DUPLICATES`` — more than one exists already: never create another, a person must cancel the extras;
- ``NOT_CREATED`` — certainly not created (refused before it was applied, or every lost answer was
  checked and nothing was there): safe to try again later;
- ``REJECTED`` — certainly not created and Hogia refuses this order's content (400/422): quarantine it;
- ``UNKNOWN`` — a create may have been applied and the look-up failed too: keep the claim, look again later.

Anything else (authentication, a wrong organisation, configuration) is not about one order: it is raised.
``UnreadableResponseError`` from a create means Hogia answered 2xx with a body we could not read — the invoice
*was* created — so it is handled like a lost answer, never as a refusal.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, CustomerInvoiceCreate
from jetshop_hogia.errors import (
    AmbiguousWriteError,
    PermanentError,
    TransientError,
    TransportError,
    UnreadableResponseError,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3
ORDER_LEVEL_STATUSES = frozenset({400, 422})
"""Refusals about the invoice's content (validation, business rule): only this order is affected."""


class InvoiceApi(Protocol):
    """The Hogia hook calls this module uses."""

    def create_invoice(self, body: CustomerInvoiceCreate) -> str: ...

    def find_invoices_by_order_number(self, order_number: str) -> list[CustomerInvoice]: ...


class Outcome(enum.StrEnum):
    """What one push achieved (see the module docstring)."""

    CREATED = "created"
    FOUND = "found"
    DUPLICATES = "duplicates"
    NOT_CREATED = "not_created"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class InvoiceRef:
    """How an order's invoice is recognised in Hogia."""

    customer_order_number: str
    channel_tag: str | None = None
    """Required to match as well when the tenant has several shops; None: the order number suffices."""

    def matches(self, invoice: CustomerInvoice) -> bool:
        """Whether ``invoice`` is this order's invoice."""
        header = invoice.invoice_header
        if header.customer_order_number != self.customer_order_number:
            return False
        return self.channel_tag is None or header.channel_tag == self.channel_tag


@dataclass(frozen=True)
class PushResult:
    """The outcome and, when an invoice exists, its id (or the ids, for duplicates)."""

    outcome: Outcome
    invoice_ids: tuple[str, ...] = ()
    error: str | None = None

    @property
    def invoice_id(self) -> str | None:
        """The one invoice id (the first, by invoice number, for duplicates)."""
        return self.invoice_ids[0] if self.invoice_ids else None


def find_invoices(hogia: InvoiceApi, ref: InvoiceRef) -> list[CustomerInvoice]:
    """This order's invoices in Hogia, by invoice number (cancelled ones included)."""
    found = hogia.find_invoices_by_order_number(ref.customer_order_number)
    return sorted((i for i in found if ref.matches(i)), key=lambda i: i.invoice_header.invoice_number)


def _existing(hogia: InvoiceApi, ref: InvoiceRef) -> PushResult | None:
    """FOUND/DUPLICATES when the order already has invoices, None when it has none (raises on errors)."""
    invoices = find_invoices(hogia, ref)
    if not invoices:
        return None
    ids = tuple(invoice.id for invoice in invoices)
    return PushResult(Outcome.FOUND if len(ids) == 1 else Outcome.DUPLICATES, ids)


def push_invoice(
    hogia: InvoiceApi,
    body: CustomerInvoiceCreate,
    ref: InvoiceRef,
    *,
    look_first: bool,
    earlier_outcome_unknown: bool = False,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    may_send: Callable[[], bool] = lambda: True,
) -> PushResult:
    """Create the invoice unless it exists; see the module docstring for the outcomes.

    ``look_first``: an earlier attempt was made, so look the order up before creating.
    ``earlier_outcome_unknown``: that attempt may have created the invoice; if the look-up fails the
    outcome stays unknown (otherwise a failed look-up only means "nothing done yet").
    ``may_send``: asked before every create — False once the caller's claim on the order has expired
    (after long back-offs), its fence or its claim token was lost (another try took the order over), so
    that a try which may have been superseded never sends.
    """
    maybe_applied = earlier_outcome_unknown
    must_look = look_first or earlier_outcome_unknown
    last_error = "no attempt made"
    for attempt in range(1, max_attempts + 1):
        if must_look:
            try:
                existing = _existing(hogia, ref)
            except TransportError as exc:
                outcome = Outcome.UNKNOWN if maybe_applied else Outcome.NOT_CREATED
                return PushResult(outcome, error=f"look-up failed: {exc}")
            if existing is not None:
                return existing
            maybe_applied = False  # looked, nothing there: no earlier attempt was applied
        if not may_send():
            return PushResult(
                Outcome.NOT_CREATED, error="claim expired, fence or claim lost before sending; not sent"
            )
        try:
            return PushResult(Outcome.CREATED, (hogia.create_invoice(body),))
        except (AmbiguousWriteError, UnreadableResponseError) as exc:
            log.warning("invoice %s: attempt %d may have been applied; looking it up", ref, attempt)
            maybe_applied, must_look, last_error = True, True, str(exc)
        except TransientError as exc:  # refused before it was applied (429/503/408, never sent); any
            # earlier lost attempt was looked up just before this one, so nothing exists
            return PushResult(Outcome.NOT_CREATED, error=str(exc))
        except PermanentError as exc:
            if exc.status not in ORDER_LEVEL_STATUSES:
                raise
            return _refused(hogia, ref, exc, maybe_applied)
    try:
        existing = _existing(hogia, ref)
    except TransportError as exc:
        return PushResult(Outcome.UNKNOWN, error=f"look-up failed after lost answers: {exc}")
    if existing is not None:
        return existing
    return PushResult(Outcome.NOT_CREATED, error=f"{max_attempts} answers lost, none applied: {last_error}")


def _refused(hogia: InvoiceApi, ref: InvoiceRef, exc: PermanentError, maybe_applied: bool) -> PushResult:
    """A 400/422. After a lost answer the refusal may concern the lost attempt's effect: look first."""
    if maybe_applied:
        try:
            existing = _existing(hogia, ref)
        except TransportError as lookup:
            return PushResult(Outcome.UNKNOWN, error=f"refused ({exc}) and look-up failed: {lookup}")
        if existing is not None:
            return existing
    return PushResult(Outcome.REJECTED, error=str(exc))
