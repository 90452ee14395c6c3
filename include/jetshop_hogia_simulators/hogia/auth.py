"""OAuth2 client credentials as Hogia's identity server does them (FACT shape, MODEL host).

``POST /connect/token`` with a form body answers ``{"access_token", "expires_in", "token_type"}``. Tokens
expire by the *simulated* clock, so a test moves ``/_admin/clock`` forward instead of waiting an hour,
and a token only opens its own organisation. Wrong credentials get OAuth2's ``400 invalid_client``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import TokenResponse
from jetshop_hogia_simulators.common.clock import SimClock
from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.hogia.responses import EarlyResponse, injected_error, json_response
from jetshop_hogia_simulators.hogia.state import HogiaState

TOKEN_OPERATION = "connect.token"  # noqa: S105 - an operation name, not a secret


@dataclass(frozen=True)
class Grant:
    """What a bearer token stands for."""

    client_id: str
    organisation_id: str
    expires_at: datetime


def _oauth_error(error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, status_code=400)


class TokenIssuer:
    """Issues and checks bearer tokens; they live in memory only (a restart means logging in again)."""

    def __init__(self, state: HogiaState, clock: SimClock, ttl_seconds: int) -> None:
        self._state = state
        self._clock = clock
        self.ttl_seconds = ttl_seconds
        self._tokens: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str, client_secret: str) -> tuple[str, Grant] | None:
        """A new token for valid credentials, None otherwise."""
        company = self._state.by_client_id(client_id)
        if company is None or not hmac.compare_digest(company.client_secret, client_secret):
            return None
        grant = Grant(
            client_id, company.organisation_id, self._clock.now() + timedelta(seconds=self.ttl_seconds)
        )
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = grant
        return token, grant

    def verify(self, authorization: str | None) -> Grant | None:
        """The grant of a valid, unexpired ``Bearer`` token, None otherwise."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        with self._lock:
            grant = self._tokens.get(token.strip())
            if grant is None:
                return None
            if self._clock.now() >= grant.expires_at:
                del self._tokens[token.strip()]
                return None
        return grant


def _client_credentials(request: Request, form: dict[str, list[str]]) -> tuple[str, str]:
    """Client id and secret from the form or from HTTP Basic (``client_secret_basic``)."""
    client_id = form.get("client_id", [""])[0]
    client_secret = form.get("client_secret", [""])[0]
    header = request.headers.get("authorization", "")
    if not client_id and header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        user, _, password = decoded.partition(":")
        return unquote(user), unquote(password)
    return client_id, client_secret


def token_router(core: SimulatorCore, issuer: TokenIssuer) -> APIRouter:
    """``POST /connect/token``: faults apply (the identity server can fail too), the rate limit does not."""
    router = APIRouter(tags=["auth"])

    @router.post("/connect/token")
    async def connect_token(request: Request) -> Response:
        early = await core.before(request, TOKEN_OPERATION, credential=None, error_response=injected_error)
        if early is not None:
            raise EarlyResponse(early)
        form = parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)
        grant_type = form.get("grant_type", [""])[0]
        if grant_type != "client_credentials":
            if not grant_type:
                return _oauth_error("invalid_request", "grant_type is required")
            return _oauth_error("unsupported_grant_type", f"grant type {grant_type!r} is not supported")
        client_id, client_secret = _client_credentials(request, form)
        issued = issuer.issue(client_id, client_secret) if client_id else None
        if issued is None:
            return _oauth_error("invalid_client", "unknown client or wrong secret")
        token, _grant = issued
        body = TokenResponse(access_token=token, expires_in=issuer.ttl_seconds)
        core.after(request)
        return Response(
            body.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-store"}
        )

    return router
