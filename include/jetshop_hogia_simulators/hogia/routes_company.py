"""``/{organisationId}/company`` and ``/{organisationId}/vatcodes``: what a client checks before syncing.

The hook reads ``modules`` (Bokföring and Fakturering required) and ``roundingMode`` from the company,
and the dated VAT codes to map a rate on a date to a code.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.responses import JSON_TYPE, model_response, models_body


def company_router(gate: ApiGate) -> APIRouter:
    """The company's settings and its VAT codes."""
    router = APIRouter(prefix="/{organisation_id}", tags=["company"])
    state = gate.state

    @router.get("/company")
    async def get_company(request: Request) -> Response:
        call = await gate.enter(request, "company.get")
        with state.lock:
            return model_response(call.company.company)

    @router.get("/vatcodes")
    async def list_vat_codes(request: Request) -> Response:
        call = await gate.enter(request, "vatcodes.list")
        with state.lock:
            return Response(models_body(call.company.vat_codes), media_type=JSON_TYPE)

    return router
