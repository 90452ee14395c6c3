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

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from jetshop_hogia_provider.connection_types import HOGIA_SMART_CONN_TYPE, HOGIA_SMART_UI_BEHAVIOUR
from jetshop_hogia_provider.hooks.base import USER_AGENT, ApiHookBase
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike, HogiaSmartConnectionConfig
from jetshop_hogia_provider.hooks.hogia_articles import HogiaArticlesMixin
from jetshop_hogia_provider.hooks.hogia_company import HogiaCompanyMixin
from jetshop_hogia_provider.hooks.hogia_contacts import HogiaContactsMixin
from jetshop_hogia_provider.hooks.hogia_invoices import HogiaInvoicesMixin
from jetshop_hogia_provider.hooks.hogia_token import BearerAuth, ClientCredentialsTokens
from jetshop_hogia_provider.hooks.json_body import encode_json
from jetshop_hogia_provider.transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    AuthenticationError,
    HttpTransport,
    RateLimiter,
    RetryPolicy,
    Timeouts,
    TransportError,
    TransportResponse,
    TransportSettings,
    register_secret,
    shared_rate_limiter,
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
    """

    conn_name_attr: ClassVar[str] = "hogia_smart_conn_id"
    default_conn_name: ClassVar[str] = "hogia_smart_default"
    conn_type: ClassVar[str] = HOGIA_SMART_CONN_TYPE
    hook_name: ClassVar[str] = "Hogia Smart"
    ui_behaviour: ClassVar[dict[str, Any]] = HOGIA_SMART_UI_BEHAVIOUR

    def __init__(
        self,
        hogia_smart_conn_id: str = default_conn_name,
        *,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        rate_limiter: RateLimiter | None = None,
        logger_name: str | None = None,
    ) -> None:
        super().__init__(
            hogia_smart_conn_id,
            retry=retry,
            max_response_bytes=max_response_bytes,
            rate_limiter=rate_limiter,
            logger_name=logger_name,
        )
        self.hogia_smart_conn_id = hogia_smart_conn_id
        self._tokens: ClientCredentialsTokens | None = None

    def _parse(self, conn: ConnectionLike) -> HogiaSmartConnectionConfig:
        config = HogiaSmartConnectionConfig.from_connection(conn)
        register_secret(config.client_secret.get_secret_value(), "client_secret")
        if config.rate_limit_redis_url is not None:
            register_secret(config.rate_limit_redis_url.get_secret_value())
        return config

    def _build_transport(self, config: HogiaSmartConnectionConfig) -> HttpTransport:
        settings = TransportSettings(
            service="hogia_smart",
            timeouts=Timeouts(connect=config.connect_timeout, read=config.timeout),
            retry=self._retry or RetryPolicy(),
            max_response_bytes=self._max_response_bytes,
            user_agent=USER_AGENT,
        )
        limiter = self._rate_limiter_override
        if limiter is None:
            redis_url = config.rate_limit_redis_url
            limiter = shared_rate_limiter(
                f"hogia_smart:{config.base_url}:{config.client_id}",  # the server counts per client id
                config.rate_limit_requests,
                config.rate_limit_window_seconds,
                redis_url=redis_url.get_secret_value() if redis_url else None,
                lease_seconds=settings.timeouts.total_seconds + 5,
            )
        return HttpTransport(settings, rate_limiter=limiter)

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

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """:meth:`request` and decode the JSON answer (fractions as Decimal); None for an empty body."""
        response = self.request(method, path, **kwargs)
        return response.json() if response.content.strip() else None

    def iter_pages(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
        operation: str | None = None,
    ) -> Iterator[list[Any]]:
        """Yield each page of a list resource, following ``X-Pagination-Pagecount``.

        Use change polling (``…/rowversion``) for syncing; paging over a list that changes meanwhile can
        skip or repeat rows, which is fine for lookups only.
        """
        page = 1
        while True:
            query = {**(params or {}), "page": page, "pageSize": page_size}
            response = self.request("GET", path, params=query, operation=operation)
            items = response.json() if response.content.strip() else []
            if not isinstance(items, list):
                raise TransportError("expected a JSON array page", operation=operation or path, status=200)
            yield items
            page_count = int(response.header("X-Pagination-Pagecount") or 1)
            if page >= page_count or not items:
                return
            page += 1
