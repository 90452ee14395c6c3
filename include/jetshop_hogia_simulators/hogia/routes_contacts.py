"""``/{organisationId}/contacts``: Hogia's customer register (FACT field names, MODEL behaviour)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import BusinessErrorCode, Contact, ContactFields
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.registers import add_read_routes, find_or_404
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    business_errors,
    guid_response,
    model_response,
    paged_response,
    read_body,
)
from jetshop_hogia_simulators.hogia.state import sort_by_number


def _digits(value: str | None) -> str:
    return "".join(ch for ch in value or "" if ch.isalnum())


def _duplicate(number: str) -> EarlyResponse:
    return EarlyResponse(
        business_errors(
            [
                (
                    BusinessErrorCode.DUPLICATE_NUMBER,
                    "number",
                    f"A customer with number {number} already exists.",
                )
            ]
        )
    )


def contacts_router(gate: ApiGate) -> APIRouter:
    """List (filters ``number``, ``email``, ``organisationNumber``), get, create, replace, rowversion."""
    router = APIRouter(prefix="/{organisation_id}/contacts", tags=["contacts"])
    state = gate.state

    @router.get("")
    async def list_contacts(request: Request) -> Response:
        call = await gate.enter(request, "contacts.list")
        query = request.query_params
        number, email, org_number = query.get("number"), query.get("email"), query.get("organisationNumber")
        with state.lock:
            rows = [
                contact
                for contact in call.company.contacts.values()
                if (number is None or contact.number == number)
                and (email is None or (contact.email or "").lower() == email.lower())
                and (org_number is None or _digits(contact.organisation_number) == _digits(org_number))
            ]
            return paged_response(request, sort_by_number(rows, lambda c: c.number))

    add_read_routes(router, gate, "contacts", lambda company: company.contacts)

    @router.post("")
    async def create_contact(request: Request) -> Response:
        call = await gate.enter(request, "contacts.create")
        fields = await read_body(request, ContactFields)
        company = call.company
        with state.lock:
            if fields.number is not None and company.contact_by_number(fields.number) is not None:
                raise _duplicate(fields.number)
            number = fields.number or company.allocate_customer_number()
            contact = Contact(
                **fields.model_dump(exclude={"number"}),
                number=number,
                **company.new_entity_fields(gate.now()),
            )
            company.contacts[contact.id] = contact
        gate.commit(call)
        return guid_response(contact.id, f"/{company.organisation_id}/contacts/{contact.id}")

    @router.put("/{contact_id}")
    async def replace_contact(request: Request, contact_id: str) -> Response:
        call = await gate.enter(request, "contacts.update")
        fields = await read_body(request, ContactFields)
        company = call.company
        with state.lock:
            contact = find_or_404(company.contacts, contact_id)
            number = fields.number or contact.number
            holder = company.contact_by_number(number)
            if holder is not None and holder.id != contact.id:
                raise _duplicate(number)
            for name in ContactFields.model_fields:
                setattr(contact, name, getattr(fields, name))
            contact.number = number
            company.touch(contact, gate.now())
            answer = model_response(contact)
        gate.commit(call)
        return answer

    return router
