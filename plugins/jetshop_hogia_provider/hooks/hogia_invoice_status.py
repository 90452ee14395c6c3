"""Invoice status events, cancel and credit in Hogia Smart (MODEL — docs/API_MODEL.md).

The event log is read by cursor (``afterEventId``) or by time window (``occurredFrom``/``occurredTo``),
never by scanning invoices. Cancel is idempotent in effect (a second cancel of a cancelled invoice
changes nothing), so the transport may retry it. A credit is a *create* with no idempotency key: it is a
bare POST, a lost answer raises ``AmbiguousWriteError``, and the caller (the ``order_status`` stream)
looks the original's ``creditedBy`` references up before it ever posts again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime

from jetshop_hogia.apimodel.hogia_base import to_wire_time
from jetshop_hogia.apimodel.hogia_invoice_status import (
    STATUS_EVENTS_PATH,
    CreditInvoiceCreate,
    InvoiceStatusEvent,
)
from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice
from jetshop_hogia_provider.hooks.hogia_rest import (
    HogiaRestCalls,
    entity_id,
    parse_model,
    parse_models,
    parse_new_id,
    wire_body,
)

EVENTS = "customerinvoices.statusevents"
CANCEL = "customerinvoices.cancel"
CREDIT = "customerinvoices.credit"


class HogiaInvoiceStatusMixin(HogiaRestCalls):
    """Status-event and correction calls of the Hogia Smart hook."""

    def iter_status_events(
        self,
        *,
        after_event_id: int | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
    ) -> Iterator[InvoiceStatusEvent]:
        """Events after the cursor and/or in ``[occurred_from, occurred_to)`` (aware), ascending by id."""
        params: dict[str, object] = {}
        if after_event_id is not None:
            params["afterEventId"] = after_event_id
        for name, moment in (("occurredFrom", occurred_from), ("occurredTo", occurred_to)):
            if moment is not None:
                if moment.tzinfo is None:
                    raise ValueError(f"{name} must be timezone-aware")
                params[name] = to_wire_time(moment)
        if not params:
            raise ValueError("give after_event_id or an occurred_from/occurred_to window: never a full scan")
        for page in self.iter_pages(STATUS_EVENTS_PATH, params=params, operation=EVENTS):
            yield from parse_models(InvoiceStatusEvent, page, operation=EVENTS)

    def cancel_invoice(self, invoice_id: str | uuid.UUID) -> CustomerInvoice:
        """Makulera an unbooked invoice (422 ``UnprocessableError`` once it is booked); the new read model."""
        payload = self.request_json(
            "POST", f"customerinvoices/{entity_id(invoice_id)}/cancel", operation=CANCEL, idempotent=True
        )
        return parse_model(CustomerInvoice, payload, operation=CANCEL)

    def credit_invoice(self, invoice_id: str | uuid.UUID, credit_date: date) -> str:
        """Create the credit invoice of a booked invoice; its GUID. Never retried after a lost answer."""
        body = wire_body(CreditInvoiceCreate(credit_date=credit_date), omit_none=True)
        payload = self.request_json(
            "POST", f"customerinvoices/{entity_id(invoice_id)}/credit", json_body=body, operation=CREDIT
        )
        return parse_new_id(payload, operation=CREDIT)
