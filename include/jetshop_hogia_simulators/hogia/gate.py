"""What every Hogia API call passes before its handler runs, in one place and one order.

1. ``api-version`` must be the pinned version (400 ProblemDetails) — checked first, as ASP.NET's API
   versioning selects the endpoint before authentication runs;
2. a valid, unexpired bearer token (401);
3. the organisation in the path must be the token's (403);
4. :meth:`SimulatorCore.before`: call counting, latency, the per-client sliding-window limit (429) and
   injected faults.

Writes end with :meth:`ApiGate.commit`: the snapshot is saved and then ``core.after`` may drop the
connection — so *applied but response lost* really has applied the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from starlette.requests import Request

from jetshop_hogia.apimodel.hogia_smart import API_VERSION
from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.hogia.auth import TokenIssuer
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    forbidden,
    injected_error,
    problem,
    rate_limited,
    unauthorized,
)
from jetshop_hogia_simulators.hogia.state import CompanyStore, HogiaState


@dataclass(frozen=True)
class ApiCall:
    """An admitted call: who makes it and which company it works on."""

    request: Request
    client_id: str
    company: CompanyStore


class ApiGate:
    """Admits or refuses API calls; see the module docstring for the order of the checks."""

    def __init__(self, core: SimulatorCore, state: HogiaState, tokens: TokenIssuer) -> None:
        self.core = core
        self.state = state
        self.tokens = tokens

    def now(self) -> datetime:
        """The simulated time, whole seconds (the wire carries seconds, so snapshots round-trip)."""
        return self.core.clock.now().replace(microsecond=0)

    def today(self) -> date:
        """The simulated local date in Stockholm."""
        return self.core.clock.local_now().date()

    async def enter(self, request: Request, operation: str) -> ApiCall:
        """Admit the call or raise :class:`EarlyResponse` with the refusal."""
        version = request.query_params.get("api-version")
        if version != API_VERSION:
            message = (
                "An API version is required, but was not specified."
                if not version
                else f"The HTTP resource does not support the API version '{version}'."
            )
            title = "Unspecified API version" if not version else "Unsupported API version"
            raise EarlyResponse(problem(400, title, errors={"api-version": [message]}))
        grant = self.tokens.verify(request.headers.get("authorization"))
        if grant is None:
            raise EarlyResponse(unauthorized())
        organisation_id = str(request.path_params.get("organisation_id", ""))
        if organisation_id.lower() != grant.organisation_id.lower():
            raise EarlyResponse(forbidden())
        company = self.state.company(organisation_id)
        if company is None:  # the token's own company was reset away: treat as a stale token
            raise EarlyResponse(unauthorized())
        early = await self.core.before(
            request,
            operation,
            credential=grant.client_id,
            error_response=injected_error,
            rate_limited_response=rate_limited,
        )
        if early is not None:
            raise EarlyResponse(early)
        return ApiCall(request, grant.client_id, company)

    def commit(self, call: ApiCall) -> None:
        """After a write: persist, then let a *lost response* fault drop the connection."""
        self.state.persist()
        self.core.after(call.request)
