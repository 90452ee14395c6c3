"""The Jetshop Commerce simulator as an ASGI app: ``create_app(...)`` → FastAPI.

``POST /Webservice20/v3.0/webservice.asmx`` speaks SOAP 1.2 with HTTP Basic auth per shop (FACT);
``GET …?WSDL`` serves the WSDL. Every call goes through the shared :class:`SimulatorCore` (latency,
5xx, hangs, resets, lost responses; no rate limit — none was observed live). The connection-drop
middleware wraps the whole app, outermost, so injected resets and lost responses really cut the socket.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from jetshop_hogia import soap
from jetshop_hogia_simulators.common.admin import build_admin_router
from jetshop_hogia_simulators.common.asgi import ASGIApp, DroppableFastAPI, Receive, Scope, Send
from jetshop_hogia_simulators.common.faults import FaultConfig
from jetshop_hogia_simulators.jetshop import dotnet
from jetshop_hogia_simulators.jetshop.admin import build_jetshop_admin_router
from jetshop_hogia_simulators.jetshop.simulator import OPERATIONS, JetshopSimulator
from jetshop_hogia_simulators.jetshop.wsdl import wsdl_document
from jetshop_hogia_simulators.seed import ShopSpec, World

ENDPOINT = "/Webservice20/v3.0/webservice.asmx"
REALM = 'Basic realm="integration.jetshop.se"'
ACCEPTED_CONTENT_TYPES = ("application/soap+xml", "text/xml")


def _soap_response(status: int, body: bytes) -> Response:
    return Response(body, status_code=status, media_type=soap.CONTENT_TYPE)


def _receiver_fault(status: int, message: str) -> Response:
    return _soap_response(status, soap.build_fault("Receiver", dotnet.server_error(message)))


def _unauthorized() -> Response:
    html = (
        "<html><body><h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>"
    )
    return HTMLResponse(html, status_code=401, headers={"WWW-Authenticate": REALM})


class SoapEndpoint:
    """The ASMX endpoint: auth, content type, envelope parsing, fault injection, dispatch."""

    def __init__(self, sim: JetshopSimulator) -> None:
        self.sim = sim
        self._auth_cache: dict[str, ShopSpec] = {}

    def authenticate(self, header: str | None) -> ShopSpec | None:
        """The shop of a valid ``Authorization: Basic …`` header, else None."""
        if not header:
            return None
        cached = self._auth_cache.get(header)
        if cached is not None:
            return cached
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        shop = self.sim.shop_for(user)
        if shop is None or not hmac.compare_digest(shop.password.encode(), password.encode()):
            return None
        self._auth_cache[header] = shop
        return shop

    async def post(self, request: Request) -> Response:
        """Handle one SOAP call."""
        shop = self.authenticate(request.headers.get("authorization"))
        if shop is None:
            return _unauthorized()
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type not in ACCEPTED_CONTENT_TYPES:
            return Response(f"Unsupported media type {content_type!r}", status_code=415)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > soap.MAX_MESSAGE_BYTES:
            return Response("Maximum request length exceeded.", status_code=413)
        raw = await request.body()
        try:
            parsed = soap.parse_request(raw)
        except (soap.UnsafeXmlError, soap.MalformedSoapError) as exc:  # refused before any operation ran
            return _soap_response(500, soap.build_fault("Sender", dotnet.unreadable_xml(str(exc))))
        early = await self.sim.core.before(
            request,
            parsed.operation,
            credential=shop.user,
            error_response=_receiver_fault,
            rate_limited_response=None,
        )
        if early is not None:
            return early
        status, body = self.sim.handle(shop.shop_id, parsed, raw)
        self.sim.core.after(request)  # a lost response drops the connection only now, after the write
        return _soap_response(status, body)

    async def get(self, request: Request) -> Response:
        """``?WSDL`` (any case) serves the WSDL; without it a small ASMX-style operation list."""
        if any(key.lower() == "wsdl" for key in request.query_params):
            location = f"{str(request.base_url).rstrip('/')}{ENDPOINT}"
            return Response(wsdl_document(location), media_type="text/xml; charset=utf-8")
        items = "".join(f"<li>{name}</li>" for name in sorted(OPERATIONS))
        return HTMLResponse(f"<html><body><h1>WebService</h1><ul>{items}</ul></body></html>")


class SoapFastPath:
    """Serves ``POST`` on the SOAP endpoint straight from ASGI, around FastAPI's routing.

    Every SOAP call would otherwise pay for FastAPI's middleware, routing and dependency machinery —
    most of the simulator's CPU per ``Product_Get``. Everything else goes to the FastAPI app.
    """

    def __init__(self, endpoint: SoapEndpoint, app: ASGIApp) -> None:
        self.endpoint = endpoint
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == ENDPOINT:
            request = Request(scope, receive)
            try:
                response = await self.endpoint.post(request)
            except Exception as exc:  # an ASMX service answers its own crashes with a Receiver fault
                response = _receiver_fault(500, f"{type(exc).__name__}: {exc}")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class _JetshopFastAPI(DroppableFastAPI):
    """The simulator app: SOAP posts take a fast path around FastAPI, inside the connection dropper."""

    soap_endpoint: SoapEndpoint

    def wrap_stack(self, app: ASGIApp) -> ASGIApp:
        return SoapFastPath(self.soap_endpoint, app)


def create_app(
    *,
    seed: int = 42,
    world: World | None = None,
    faults: FaultConfig | None = None,
    state_file: Path | None = None,
    start: datetime | None = None,
) -> FastAPI:
    """The Jetshop simulator app; ``app.state.simulator`` is its :class:`JetshopSimulator`.

    ``world`` replaces the world generated from ``seed``; ``start`` (aware) sets the simulated clock and
    anchors the seeded data, which makes state dumps reproducible; ``state_file`` keeps the state in
    SQLite across restarts.
    """
    sim = JetshopSimulator(seed=seed, world=world, faults=faults, state_file=state_file, start=start)
    app = _JetshopFastAPI(
        title="Jetshop Commerce simulator", docs_url="/_admin/docs", openapi_url="/_admin/openapi.json"
    )
    app.state.simulator = sim
    app.soap_endpoint = endpoint = SoapEndpoint(sim)
    app.add_api_route(ENDPOINT, endpoint.get, methods=["GET"], include_in_schema=False)
    app.include_router(build_admin_router(sim.core, dump_state=sim.dump, reset_state=sim.reset))
    app.include_router(build_jetshop_admin_router(sim))
    return app
