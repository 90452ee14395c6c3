"""The Hogia Smart simulator as one FastAPI app: REST resources, token endpoint, admin API.

Build it with :func:`create_app`; ``app.state.simulator`` is the :class:`HogiaSimulator` (its ``core``
for counters, faults and clock; its ``state`` for the companies). The connection-drop middleware wraps
the *whole* middleware stack, outside Starlette's ServerErrorMiddleware: only there is ``send`` still
uvicorn's own and the socket reachable, which the reset and lost-response faults need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia_simulators.common.admin import build_admin_router
from jetshop_hogia_simulators.common.asgi import DroppableFastAPI
from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.common.faults import FaultConfig
from jetshop_hogia_simulators.common.persistence import SqliteSnapshotStore
from jetshop_hogia_simulators.common.ratelimit import make_limiter
from jetshop_hogia_simulators.hogia.auth import TokenIssuer, token_router
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    errors_by_field,
    not_found,
    problem,
    validation_problem,
)
from jetshop_hogia_simulators.hogia.routes_admin import hogia_admin_router
from jetshop_hogia_simulators.hogia.routes_articles import articles_router
from jetshop_hogia_simulators.hogia.routes_company import company_router
from jetshop_hogia_simulators.hogia.routes_contacts import contacts_router
from jetshop_hogia_simulators.hogia.routes_invoice_status import invoice_status_router
from jetshop_hogia_simulators.hogia.routes_invoices import invoices_router
from jetshop_hogia_simulators.hogia.seeding import seed_companies
from jetshop_hogia_simulators.hogia.state import CompanyStore, HogiaState
from jetshop_hogia_simulators.seed import World, generate_world


@dataclass
class HogiaSimulator:
    """Everything behind one simulator app."""

    world: World
    core: SimulatorCore
    state: HogiaState
    tokens: TokenIssuer
    gate: ApiGate


def _install_error_handlers(app: FastAPI) -> None:
    async def early(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, EarlyResponse)
        return exc.response

    async def invalid(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_problem(errors_by_field(exc.errors(), skip_prefix=True))

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return not_found("Not found")
        return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    app.add_exception_handler(EarlyResponse, early)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)


def create_app(
    *,
    seed: int = 42,
    world: World | None = None,
    faults: FaultConfig | None = None,
    state_file: Path | None = None,
    rate_limit: tuple[int, float] | None = (25, 5.0),
    limiter_kind: str = "sliding",
    token_ttl_seconds: int = 3600,
) -> FastAPI:
    """A Hogia Smart simulator seeded from ``world`` (or ``generate_world(seed)``).

    ``rate_limit`` is (requests, window seconds) per client id, None to switch it off; ``state_file``
    keeps the state in SQLite across restarts (a saved state wins over the seed on start).
    """
    world = world if world is not None else generate_world(seed)
    limiter = make_limiter(limiter_kind, rate_limit[0], rate_limit[1]) if rate_limit else None
    core = SimulatorCore(faults=faults, limiter=limiter)

    def seed_now() -> list[CompanyStore]:
        return seed_companies(world, core.clock.now().replace(microsecond=0), core.clock.local_now().date())

    state = HogiaState(seed_now, SqliteSnapshotStore(state_file) if state_file is not None else None)
    tokens = TokenIssuer(state, core.clock, token_ttl_seconds)
    gate = ApiGate(core, state, tokens)
    simulator = HogiaSimulator(world, core, state, tokens, gate)

    app = DroppableFastAPI(
        title="Hogia Smart simulator",
        description="A local stand-in for the Hogia Smart REST API (see docs/API_MODEL.md).",
        version="2025-06-01",
    )
    app.state.simulator = simulator
    _install_error_handlers(app)
    app.include_router(build_admin_router(core, dump_state=state.dump, reset_state=state.reset))
    app.include_router(hogia_admin_router(gate))
    app.include_router(token_router(core, tokens))
    app.include_router(company_router(gate))
    app.include_router(contacts_router(gate))
    app.include_router(articles_router(gate))
    app.include_router(invoice_status_router(gate))  # before /{id} of the invoice router
    app.include_router(invoices_router(gate))
    return app
