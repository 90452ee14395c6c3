"""Airflow hook for the Hogia Smart REST API (OAuth2 client credentials, JSON, ``api-version``).

An ``HttpHook`` (through :class:`~.base.ApiHookBase`): host, schema, port, proxies and TLS settings come
from the connection as for any ``HttpHook``. Login and password are OAuth2 client credentials, sent only
to the token endpoint, so the session carries no Basic auth. This module holds tokens and
:meth:`HogiaSmartHook.request`, which does what every call needs: the organisation prefix,
``api-version``, the bearer token (renewed once on a 401), JSON encoding with exact decimals,
idempotency defaults, and the hook's retries and rate limit.
The typed resource methods come from one mixin per resource, each in its own module:
:mod:`.hogia_company` (company, VAT codes, ``test_connection``), :mod:`.hogia_contacts`,
:mod:`.hogia_articles`, :mod:`.hogia_changes` (rowversion polling) and :mod:`.hogia_invoices`
(exactly-once invoice creation, invoice status). They parse answers into the shared models of
``jetshop_hogia.apimodel.hogia_smart``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Unpack

import requests

from jetshop_hogia_provider.connection_types import (
    HOGIA_SMART_CONN_FIELDS,
    HOGIA_SMART_CONN_TYPE,
    HOGIA_SMART_UI_BEHAVIOUR,
)
from jetshop_hogia_provider.hooks.base import IDEMPOTENT_METHODS, ApiHookBase
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike, HogiaSmartConnectionConfig
from jetshop_hogia_provider.hooks.hogia_articles import HogiaArticlesMixin
from jetshop_hogia_provider.hooks.hogia_company import HogiaCompanyMixin
from jetshop_hogia_provider.hooks.hogia_contacts import HogiaContactsMixin
from jetshop_hogia_provider.hooks.hogia_invoice_status import HogiaInvoiceStatusMixin
from jetshop_hogia_provider.hooks.hogia_invoices import HogiaInvoicesMixin
from jetshop_hogia_provider.hooks.hogia_token import BearerAuth, ClientCredentialsTokens
from jetshop_hogia_provider.hooks.hook_options import HookOptions, register_redis_secret
from jetshop_hogia_provider.hooks.json_body import encode_json
from jetshop_hogia_provider.transport import AuthenticationError, TransportResponse, register_secret

__all__ = ["IDEMPOTENT_METHODS", "HogiaSmartHook"]


class HogiaSmartHook(
    HogiaCompanyMixin,
    HogiaContactsMixin,
    HogiaArticlesMixin,
    HogiaInvoicesMixin,
    HogiaInvoiceStatusMixin,
    ApiHookBase[HogiaSmartConnectionConfig],
):
    """One Hogia Smart company reached with one client id.

    :param hogia_smart_conn_id: Airflow connection of type ``hogia_smart``.
    :param options: ``retry``, ``max_response_bytes``, ``rate_limiter``, ``logger_name``; see
        :class:`~jetshop_hogia_provider.hooks.base.ApiHookBase`.
    """

    conn_name_attr = "hogia_smart_conn_id"
    default_conn_name = "hogia_smart_default"
    conn_type = HOGIA_SMART_CONN_TYPE
    hook_name = "Hogia Smart"
    ui_behaviour: ClassVar[dict[str, Any]] = HOGIA_SMART_UI_BEHAVIOUR
    service_name: ClassVar[str] = "hogia_smart"
    declared_extras: ClassVar[frozenset[str]] = frozenset(HOGIA_SMART_CONN_FIELDS)

    def __init__(
        self,
        hogia_smart_conn_id: str = default_conn_name,
        **options: Unpack[HookOptions],
    ) -> None:
        super().__init__(hogia_smart_conn_id, method="GET", **options)  # HttpHook.run(): a read
        self.hogia_smart_conn_id = hogia_smart_conn_id
        self._tokens: ClientCredentialsTokens | None = None

    def _parse(self, conn: ConnectionLike, base_url: str) -> HogiaSmartConnectionConfig:
        config = HogiaSmartConnectionConfig.from_connection(conn, base_url)
        register_secret(config.client_secret.get_secret_value(), "client_secret")
        register_redis_secret(config.rate_limit_redis_url)
        return config

    def _rate_limit(self, config: HogiaSmartConnectionConfig) -> tuple[str, int, float]:
        # the server counts calls per client id, so the window is shared per client id
        key = f"hogia_smart:{config.base_url}:{config.client_id}"
        return key, config.rate_limit_requests, config.rate_limit_window_seconds

    def _adapt_session(self, session: requests.Session) -> None:
        """No session-wide auth: HttpHook set Basic auth from login/password, which here are the OAuth2
        client credentials; they go to the token endpoint only, API calls carry a bearer token."""
        session.auth = None

    @property
    def tokens(self) -> ClientCredentialsTokens:
        """The token cache of this hook (tokens are fetched through the hook's own session)."""
        with self._lock:
            if self._tokens is None:
                config = self.config
                self._tokens = ClientCredentialsTokens(
                    self.send, config.token_url, config.client_id, config.client_secret.get_secret_value()
                )
            return self._tokens

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TransportResponse:
        """Call ``<base>/<organisation>/<path>?api-version=…`` and return the 2xx answer.

        :param operation: name in logs and errors; defaults to ``"<path>.<method>"`` (``company.get``).
        :param json_body: encoded as JSON (Decimals exact); or pass ready bytes as ``content``.
        :param idempotent: defaults to True for GET/HEAD/OPTIONS/PUT/DELETE, False for POST/PATCH. A
            non-idempotent call whose answer is lost raises ``AmbiguousWriteError`` (look it up first).
        A 401 renews the token and tries once more (a refused request was not applied, so this is safe
        for writes too).
        """
        method = method.upper()
        config = self.config
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        body = content if content is not None else (encode_json(json_body) if json_body is not None else None)
        all_headers = {"Accept": "application/json"}
        if body is not None:
            all_headers["Content-Type"] = "application/json; charset=utf-8"
        all_headers.update(headers or {})
        url = f"{config.organisation_url}/{path.lstrip('/')}"
        query = {**(params or {}), "api-version": config.api_version}
        name = operation or f"{path.strip('/')}.{method.lower()}"
        tokens = self.tokens
        for renewed in (False, True):
            token = tokens.get()
            try:
                return self.send(
                    method,
                    url,
                    operation=name,
                    idempotent=idempotent,
                    params=query,
                    content=body,
                    headers=all_headers,
                    auth=BearerAuth(token),
                )
            except AuthenticationError as exc:
                if exc.status != 401 or renewed:
                    raise
                tokens.invalidate(token)
        raise AssertionError("unreachable")  # pragma: no cover
