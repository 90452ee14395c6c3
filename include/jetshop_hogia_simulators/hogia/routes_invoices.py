"""``/{organisationId}/customerinvoices``: web orders become invoices here (FACT create shape).

There is no idempotency: the same body posted twice is two invoices with two numbers (MODEL, as every
Nordic peer). A client that lost an answer must search by ``customerOrderNumber`` before it retries.
Invoices are never deleted (FACT); there is no DELETE route.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoiceCreate
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.invoicing import build_invoice
from jetshop_hogia_simulators.hogia.registers import add_read_routes
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    business_errors,
    date_query,
    guid_response,
    paged_response,
    read_body,
)


def invoices_router(gate: ApiGate) -> APIRouter:
    """List (filters ``customerOrderNumber`` exact, ``invoiceDateFrom``/``invoiceDateTo`` inclusive), get,
    create, rowversion."""
    router = APIRouter(prefix="/{organisation_id}/customerinvoices", tags=["customerinvoices"])
    state = gate.state

    @router.get("")
    async def list_invoices(request: Request) -> Response:
        call = await gate.enter(request, "customerinvoices.list")
        order_number = request.query_params.get("customerOrderNumber")
        date_from = date_query(request, "invoiceDateFrom")
        date_to = date_query(request, "invoiceDateTo")
        with state.lock:
            rows = sorted(
                (
                    invoice
                    for invoice in call.company.invoices.values()
                    if (order_number is None or invoice.invoice_header.customer_order_number == order_number)
                    and (date_from is None or invoice.invoice_header.invoice_date >= date_from)
                    and (date_to is None or invoice.invoice_header.invoice_date <= date_to)
                ),
                key=lambda invoice: invoice.invoice_header.invoice_number,
            )
            return paged_response(request, rows)

    add_read_routes(router, gate, "customerinvoices", lambda company: company.invoices)

    @router.post("")
    async def create_invoice(request: Request) -> Response:
        call = await gate.enter(request, "customerinvoices.create")
        body = await read_body(request, CustomerInvoiceCreate)
        company = call.company
        with state.lock:
            built = build_invoice(company, body, gate.now())
            if isinstance(built, list):
                raise EarlyResponse(business_errors(built))
            company.invoices[built.id] = built
        gate.commit(call)
        return guid_response(built.id, f"/{company.organisation_id}/customerinvoices/{built.id}")

    return router
