"""Invoice status routes: the status event log, cancel and credit (MODEL — docs/API_MODEL.md).

- ``GET /{org}/customerinvoices/statusevents`` with ``afterEventId`` (cursor) and/or ``occurredFrom`` /
  ``occurredTo`` (local times, half-open window): change polling, never a scan of every invoice;
- ``POST /{org}/customerinvoices/{id}/cancel``: makulera an unbooked invoice (422 once it is booked);
- ``POST /{org}/customerinvoices/{id}/credit`` ``{"creditDate"}``: a credit invoice referencing the
  original → its GUID. No idempotency, as every create: a repeated post is a second credit invoice.

Included before the invoice router so ``statusevents`` is not taken for an invoice id.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_base import to_utc
from jetshop_hogia.apimodel.hogia_invoice_status import CreditInvoiceCreate
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.invoice_events import (
    build_credit,
    cancel_problems,
    credit_problems,
    events_page,
    flags,
    record_events,
)
from jetshop_hogia_simulators.hogia.registers import find_or_404
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    business_errors,
    guid_response,
    int_query,
    model_response,
    paged_response,
    read_body,
    validation_problem,
)


def _time_query(request: Request, name: str) -> datetime | None:
    """A zone-less local (Stockholm) time, aware UTC inside; 400 when unreadable."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return to_utc(datetime.fromisoformat(raw))
    except ValueError:
        problem = validation_problem({name: [f"The value '{raw}' is not a valid date and time."]})
        raise EarlyResponse(problem) from None


def invoice_status_router(gate: ApiGate) -> APIRouter:
    """The event log and the two corrective writes of customer invoices."""
    router = APIRouter(prefix="/{organisation_id}/customerinvoices", tags=["customerinvoices"])
    state = gate.state

    @router.get("/statusevents")
    async def status_events(request: Request) -> Response:
        call = await gate.enter(request, "customerinvoices.statusevents")
        after = request.query_params.get("afterEventId")
        cursor = int_query(request, "afterEventId", 0, minimum=0) if after else None
        start, end = _time_query(request, "occurredFrom"), _time_query(request, "occurredTo")
        if cursor is None and start is None and end is None:
            problem = validation_problem({"afterEventId": ["Give afterEventId or occurredFrom/occurredTo."]})
            raise EarlyResponse(problem)
        with state.lock:
            return paged_response(request, events_page(call.company, cursor, start, end))

    @router.post("/{invoice_id}/cancel")
    async def cancel(request: Request, invoice_id: str) -> Response:
        call = await gate.enter(request, "customerinvoices.cancel")
        company = call.company
        with state.lock:
            invoice = find_or_404(company.invoices, invoice_id)
            errors = cancel_problems(invoice)
            if errors:
                raise EarlyResponse(business_errors(errors))
            before, now = flags(invoice), gate.now()
            invoice.is_canceled = invoice.is_closed = True
            invoice.status_changed_date = now
            company.touch(invoice, now)
            record_events(company, invoice, before, now)
            answer = model_response(invoice)
        gate.commit(call)
        return answer

    @router.post("/{invoice_id}/credit")
    async def credit(request: Request, invoice_id: str) -> Response:
        call = await gate.enter(request, "customerinvoices.credit")
        body = await read_body(request, CreditInvoiceCreate)
        company = call.company
        with state.lock:
            original = find_or_404(company.invoices, invoice_id)
            errors = credit_problems(original)
            if errors:
                raise EarlyResponse(business_errors(errors))
            made = build_credit(company, original, body.credit_date, gate.now())
        gate.commit(call)
        return guid_response(made.id, f"/{company.organisation_id}/customerinvoices/{made.id}")

    return router
