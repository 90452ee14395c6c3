"""The two read routes every Hogia register answers alike: get by id and the ``rowversion`` poll (MODEL).

Contacts, articles and customer invoices differ in their list filters and writes, but a GUID lookup
(case-insensitive, a bare 404 when absent) and ``…/rowversion?lastKnownRowVersion=N`` behave the same
for all of them; one definition keeps the three registers from drifting apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import Entity
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    int_query,
    model_response,
    not_found,
    paged_response,
)
from jetshop_hogia_simulators.hogia.state import CompanyStore, changed_since

E = TypeVar("E", bound=Entity)


def find_or_404(register: Mapping[str, E], entity_id: str) -> E:
    """The entity with this GUID (any letter case), or a 404 :class:`EarlyResponse`."""
    entity = register.get(entity_id.lower())
    if entity is None:
        raise EarlyResponse(not_found())
    return entity


def add_read_routes(
    router: APIRouter,
    gate: ApiGate,
    resource: str,
    register: Callable[[CompanyStore], Mapping[str, E]],
) -> None:
    """Add ``GET /rowversion`` and ``GET /{entity_id}`` to ``router`` for one register.

    ``resource`` prefixes the operation names (``articles`` gives ``articles.rowversion`` and
    ``articles.get``), which the fault and rate-limit rules match on. Call this after the list route
    and before any other ``/{id}`` route: ``/rowversion`` must be tried before the id pattern.
    """
    state = gate.state

    @router.get("/rowversion", name=f"{resource}_changed")
    async def changed(request: Request) -> Response:
        call = await gate.enter(request, f"{resource}.rowversion")
        last_known = int_query(request, "lastKnownRowVersion", None, minimum=0)
        with state.lock:
            return paged_response(request, changed_since(register(call.company).values(), last_known))

    @router.get("/{entity_id}", name=f"get_{resource}")
    async def get_one(request: Request, entity_id: str) -> Response:
        call = await gate.enter(request, f"{resource}.get")
        with state.lock:
            return model_response(find_or_404(register(call.company), entity_id))
