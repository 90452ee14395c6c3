"""OAuth2 client-credentials tokens for Hogia Smart, fetched once and shared by a hook's threads.

Client-credentials tokens need no refresh token: when one nears expiry a new one is simply requested.
One lock per hook keeps parallel threads from each fetching their own (integrators report token
stampedes as a source of 401s and rate-limit trouble). Each token is registered with Airflow's secret
masker the moment it arrives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from requests import PreparedRequest
from requests.auth import AuthBase

from jetshop_hogia_provider.hooks.hogia_rest import decode_json
from jetshop_hogia_provider.transport import (
    AuthenticationError,
    PermanentError,
    TransportResponse,
    register_secret,
)

TOKEN_OPERATION = "connect.token"  # noqa: S105 - an operation name, not a secret


@dataclass(frozen=True)
class AccessToken:
    """A bearer token and the monotonic time after which it is no longer used."""

    value: str
    use_until: float


Sender = Callable[..., TransportResponse]
"""The hook's :meth:`~.base.ApiHookBase.send` (its session, timeouts, retries and classification)."""


class ClientCredentialsTokens:
    """Fetches, caches and renews the bearer token of one client id.

    :param refresh_margin_seconds: renew this long before the server's expiry (clock skew, slow calls),
        but never more than half the token's lifetime.
    """

    def __init__(
        self,
        send: Sender,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        refresh_margin_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._margin = refresh_margin_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self.fetch_count = 0

    def get(self) -> str:
        """A token valid for a while yet, fetched if there is none or it is about to expire."""
        with self._lock:
            token = self._token
            if token is None or self._monotonic() >= token.use_until:
                token = self._token = self._fetch()
            return token.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` after the server refused it (401); a thread holding a newer token keeps it."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None

    def _fetch(self) -> AccessToken:
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
            }
        ).encode()
        try:
            response = self._send(
                "POST",
                self._token_url,
                operation=TOKEN_OPERATION,
                idempotent=True,  # asking twice only yields two valid tokens
                content=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                rate_limited=False,  # the token endpoint is not rate limited (MODEL)
            )
        except AuthenticationError:
            raise
        except PermanentError as exc:  # OAuth2 answers invalid_client / invalid_grant with a 400
            raise AuthenticationError(
                "token request refused: check client id and secret",
                operation=TOKEN_OPERATION,
                status=exc.status,
                attempts=exc.attempts,
            ) from None
        self.fetch_count += 1
        body = decode_json(response, parse_float=float)
        value = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise AuthenticationError(
                "token endpoint answered without an access_token", operation=TOKEN_OPERATION
            )
        register_secret(value, "access_token")
        lifetime = float(body.get("expires_in") or 3600)
        margin = min(self._margin, lifetime / 2)
        return AccessToken(value, self._monotonic() + lifetime - margin)


class BearerAuth(AuthBase):
    """``Authorization: Bearer <token>`` for one request (a fresh object per call: tokens rotate)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:  # never show the token in a debugger or a log of locals
        return "BearerAuth(***)"
