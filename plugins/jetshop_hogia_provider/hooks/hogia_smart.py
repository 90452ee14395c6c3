"""Airflow hook for the Hogia Smart REST API (OAuth2 client credentials, JSON, ``api-version``).

This module holds connection handling, tokens and :meth:`HogiaSmartHook.request`, which does what every
call needs: the organisation prefix, ``api-version``, the bearer token (renewed once on a 401), JSON
encoding with exact decimals, idempotency defaults and the shared transport's retries and rate limit.
The typed resource methods come from one mixin per resource, each in its own module:
:mod:`.hogia_company` (company, VAT codes, ``test_connection``), :mod:`.hogia_contacts`,
:mod:`.hogia_articles`, :mod:`.hogia_changes` (rowversion polling) and :mod:`.hogia_invoices`
(exactly-once invoice creation, invoice status). They parse answers into the shared models of
``jetshop_hogia.apimodel.hogia_smart``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Unpack

from jetshop_hogia_provider.connection_types import HOGIA_SMART_CONN_TYPE, HOGIA_SMART_UI_BEHAVIOUR
from jetshop_hogia_provider.hooks.base import ApiHookBase, HookOptions, register_redis_secret
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike, HogiaSmartConnectionConfig
from jetshop_hogia_provider.hooks.hogia_articles import HogiaArticlesMixin
from jetshop_hogia_provider.hooks.hogia_company import HogiaCompanyMixin
from jetshop_hogia_provider.hooks.hogia_contacts import HogiaContactsMixin
from jetshop_hogia_provider.hooks.hogia_invoices import HogiaInvoicesMixin
from jetshop_hogia_provider.hooks.hogia_token import BearerAuth, ClientCredentialsTokens
from jetshop_hogia_provider.hooks.json_body import encode_json
from jetshop_hogia_provider.transport import (
    AuthenticationError,
    HttpTransport,
    TransportResponse,
    register_secret,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods retried after a lost answer by default; POST and PATCH must opt in with ``idempotent=True``."""


class HogiaSmartHook(
    HogiaCompanyMixin,
    HogiaContactsMixin,
    HogiaArticlesMixin,
    HogiaInvoicesMixin,
    ApiHookBase[HogiaSmartConnectionConfig],
):
    """One Hogia Smart company reached with one client id.

    :param hogia_smart_conn_id: Airflow connection of type ``hogia_smart``.
    :param options: ``retry``, ``max_response_bytes``, ``rate_limiter``, ``logger_name``; see
        :class:`~jetshop_hogia_provider.hooks.base.ApiHookBase`.
    """

    conn_name_attr: ClassVar[str] = "hogia_smart_conn_id"
    default_conn_name: ClassVar[str] = "hogia_smart_default"
    conn_type: ClassVar[str] = HOGIA_SMART_CONN_TYPE
    hook_name: ClassVar[str] = "Hogia Smart"
    ui_behaviour: ClassVar[dict[str, Any]] = HOGIA_SMART_UI_BEHAVIOUR

    def __init__(
        self,
        hogia_smart_conn_id: str = default_conn_name,
        **options: Unpack[HookOptions],
    ) -> None:
        super().__init__(hogia_smart_conn_id, **options)
        self.hogia_smart_conn_id = hogia_smart_conn_id
        self._tokens: ClientCredentialsTokens | None = None

    def _parse(self, conn: ConnectionLike) -> HogiaSmartConnectionConfig:
        config = HogiaSmartConnectionConfig.from_connection(conn)
        register_secret(config.client_secret.get_secret_value(), "client_secret")
        register_redis_secret(config.rate_limit_redis_url)
        return config

    def _build_transport(self, config: HogiaSmartConnectionConfig) -> HttpTransport:
        return self._new_transport(
            "hogia_smart",
            connect_timeout=config.connect_timeout,
            read_timeout=config.timeout,
            # the server counts calls per client id, so the window is shared per client id
            limiter_key=f"hogia_smart:{config.base_url}:{config.client_id}",
            limit=config.rate_limit_requests,
            window_seconds=config.rate_limit_window_seconds,
            redis_url=config.rate_limit_redis_url,
        )

    @property
    def tokens(self) -> ClientCredentialsTokens:
        """The token cache of this hook (built with the transport)."""
        with self._lock:
            transport = self.get_conn()
            if self._tokens is None or self._tokens.transport is not transport:
                config = self.config
                self._tokens = ClientCredentialsTokens(
                    transport, config.token_url, config.client_id, config.client_secret.get_secret_value()
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
                return self.get_conn().request(
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
