"""What both hooks share: Airflow's ``HttpHook`` for the session, our own rules for sending through it.

``HttpHook`` (apache-airflow-providers-http) owns everything it already does the way its users know:
the base URL from the connection's host, schema and port; HTTP Basic auth from login and password; the
extras ``proxies``, ``verify``, ``cert``, ``trust_env`` and ``max_redirects`` on the ``requests``
session; the TCP keep-alive adapter. :class:`ApiHookBase` changes only what would be wrong for these
APIs (see ``docs/connections.md``):

- one session per hook instance (``HttpHook.get_conn`` builds one per call), built on first use;
- unknown extras never become headers (``HttpHook`` sends them as headers; ours hold secrets);
- https, not http, when the host has no scheme and the schema field is empty;
- every request has an explicit method and connect/read timeouts, is rate limited per credential, read
  with a byte and time bound, classified (transient / permanent / ambiguous write) and retried by the
  :class:`~jetshop_hogia_provider.transport.RetryPolicy` — in :meth:`ApiHookBase.send`;
- :meth:`ApiHookBase.run_and_check` and :meth:`ApiHookBase.check_response` are overridden, because
  ``HttpHook``'s versions log error bodies and full URLs, follow redirects and have no timeout.

Constructing a hook does no I/O (Airflow builds hooks while parsing DAG files and listing connection
types): the connection is fetched and parsed on first use.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, ClassVar, Generic
from urllib.parse import urlsplit

import requests
from airflow.providers.http.hooks.http import HttpHook
from requests.utils import default_headers

from jetshop_hogia_provider.connection_types import snake_case_behaviour
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike, unknown_extras, with_https_default
from jetshop_hogia_provider.hooks.hook_options import ConfigT
from jetshop_hogia_provider.transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    RateLimiter,
    ResponseClassifier,
    ResponseTooLargeError,
    RetryPolicy,
    Timeouts,
    TransportError,
    TransportResponse,
    read_bounded,
    shared_rate_limiter,
)
from jetshop_hogia_provider.transport.classify import classify_exception, classify_status
from jetshop_hogia_provider.transport.errors import RateLimitedError
from jetshop_hogia_provider.transport.ratelimit import rate_limited_slot
from jetshop_hogia_provider.transport.redaction import install_urllib3_log_filter
from jetshop_hogia_provider.transport.response import detached_headers
from jetshop_hogia_provider.transport.retry import call_with_retries

USER_AGENT = "airflow-jetshop-hogia/0.1 (+Apache Airflow provider)"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods retried after a lost answer by default; POST and PATCH must opt in with ``idempotent=True``."""

log = logging.getLogger(__name__)
call_log = logging.getLogger("jetshop_hogia_provider.calls")
"""One line per HTTP attempt (operation, method, status, attempt, duration, size, outcome) — nothing else."""


class ApiHookBase(HttpHook, Generic[ConfigT]):
    """Base of :class:`JetshopHook` and :class:`HogiaSmartHook`; not registered itself.

    :param conn_id: the Airflow connection to use (also ``http_conn_id``, as on every ``HttpHook``).
    :param method: ``HttpHook``'s default method, used only by the inherited :meth:`run`.
    :param retry: overrides the retry policy (tests, or callers that retry themselves).
    :param max_response_bytes: answers larger than this are refused unread.
    :param rate_limiter: overrides the per-credential limiter built from the connection (tests).
    """

    ui_behaviour: ClassVar[dict[str, Any]]
    service_name: ClassVar[str]
    """Names the service in call log lines (``jetshop``, ``hogia_smart``)."""
    declared_extras: ClassVar[frozenset[str]]
    """The connection type's own extra fields (read by the config parser, never sent anywhere)."""

    def __init__(
        self,
        conn_id: str,
        *,
        method: str,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        rate_limiter: RateLimiter | None = None,
        logger_name: str | None = None,
    ) -> None:
        super().__init__(method=method, http_conn_id=conn_id)
        self._logger_name = logger_name
        self.conn_id = conn_id
        self.retry_policy = retry or RetryPolicy()
        self.max_response_bytes = max_response_bytes
        self._rate_limiter_override = rate_limiter
        self._rate_limiter: RateLimiter | None = None
        self._config: ConfigT | None = None
        self._session: requests.Session | None = None
        self._lock = threading.RLock()
        self.response_classifier: ResponseClassifier | None = None
        install_urllib3_log_filter()

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Hidden fields, relabeling and placeholders (same data as ``get_provider_info``)."""
        return snake_case_behaviour(cls.ui_behaviour)

    # --- the connection -------------------------------------------------------------------------

    @property
    def config(self) -> ConfigT:
        """The parsed connection (fetched from Airflow on first access)."""
        with self._lock:
            if self._config is None:
                connection = self.get_connection(self.http_conn_id)
                self._set_base_url(connection)
                self._config = self._parse(connection, self.base_url)
                ignored = unknown_extras(connection, self.declared_extras)
                if ignored:
                    log.warning(
                        "connection %s: extra field(s) %s are not used (and never sent as headers)",
                        self.http_conn_id,
                        ", ".join(ignored),
                    )
            return self._config

    def _parse(self, conn: ConnectionLike, base_url: str) -> ConfigT:
        raise NotImplementedError

    def _set_base_url(self, connection: Any) -> None:
        """``HttpHook``'s base URL (host as given with a scheme, else ``schema://host``, then ``:port``),
        defaulting to https instead of http, without a trailing slash."""
        super()._set_base_url(connection)
        self.base_url = with_https_default(self.base_url, connection)

    @property
    def timeouts(self) -> Timeouts:
        """Connect and read timeouts from the connection (``connect_timeout``, ``timeout``)."""
        config = self.config
        return Timeouts(connect=config.connect_timeout, read=config.timeout)

    @property
    def rate_limiter(self) -> RateLimiter:
        """The per-credential limiter (shared in the process, or through Redis), built on first use."""
        with self._lock:
            if self._rate_limiter is None:
                self._rate_limiter = self._rate_limiter_override or self._shared_limiter()
            return self._rate_limiter

    def _rate_limit(self, config: ConfigT) -> tuple[str, int, float]:
        """(key naming the credential the service counts, limit, window seconds)."""
        raise NotImplementedError

    def _shared_limiter(self) -> RateLimiter:
        config = self.config
        key, limit, window = self._rate_limit(config)
        redis_url = config.rate_limit_redis_url
        return shared_rate_limiter(
            key,
            limit,
            window,
            redis_url=redis_url.get_secret_value() if redis_url else None,
            lease_seconds=self.timeouts.total_seconds + 5,
        )

    # --- the session (HttpHook's) ---------------------------------------------------------------

    def get_conn(
        self, headers: dict[Any, Any] | None = None, extra_options: dict[str, Any] | None = None
    ) -> requests.Session:
        """The hook's one ``requests`` session, built by ``HttpHook.get_conn`` on first use.

        With ``headers`` or ``extra_options`` (``HttpHook``'s per-call arguments) a separate session is
        built, as ``HttpHook`` does, so they never leak into the shared one.
        """
        if headers or extra_options:
            return self._new_session(headers, extra_options)
        with self._lock:
            if self._session is None:
                self._session = self._new_session(None, None)
            return self._session

    def _new_session(
        self, headers: dict[Any, Any] | None, extra_options: dict[str, Any] | None
    ) -> requests.Session:
        self.config  # noqa: B018 - validate first: a bad connection fails with a message naming the field
        session: requests.Session = super().get_conn(None, extra_options)
        # HttpHook turns every extra it does not know into a header; ours hold secrets (Redis URLs) and
        # settings, so the session starts again from requests' defaults.
        session.headers.clear()
        session.headers.update(default_headers())
        session.headers["User-Agent"] = USER_AGENT
        session.headers.update(headers or {})
        self._adapt_session(session)
        return session

    def _adapt_session(self, session: requests.Session) -> None:
        """Service-specific changes to a new session (Hogia drops the Basic auth HttpHook set)."""

    # --- sending --------------------------------------------------------------------------------

    def send(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        idempotent: bool,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: requests.auth.AuthBase | None = None,
        rate_limited: bool = True,
        retry: RetryPolicy | None = None,
    ) -> TransportResponse:
        """Send one logical call through the hook's session, retrying transient failures.

        ``idempotent`` is the caller's promise that sending the request twice has the effect of sending
        it once (reads, PUT, upserts). If False, a lost answer raises ``AmbiguousWriteError`` instead of
        being retried. ``rate_limited=False`` is for endpoints the service does not limit (OAuth tokens).
        Returns the 2xx answer (body read whole, within the byte limit) or raises a transport error.
        """
        request = requests.Request(
            method.upper(),
            url,
            params=dict(params or {}),
            data=content,
            headers=dict(headers or {}),
            auth=auth,
        )

        def attempt(number: int) -> TransportResponse:
            session = self.get_conn()
            options = {
                "operation": operation,
                "idempotent": idempotent,
                "attempt": number,
                "rate_limited": rate_limited,
            }
            response: TransportResponse = self.run_and_check(
                session, session.prepare_request(request), options
            )
            return response

        return call_with_retries(attempt, retry or self.retry_policy, logger=call_log, operation=operation)

    def run_and_check(
        self,
        session: requests.Session,
        prepped_request: requests.PreparedRequest,
        extra_options: dict[Any, Any],
    ) -> TransportResponse:
        """One attempt: ``HttpHook``'s send step with timeouts, rate limit, bounded read and classification.

        ``extra_options`` may name the ``operation``, whether the call is ``idempotent``, the ``attempt``
        number and whether it is ``rate_limited``; ``HttpHook.run`` passes the connection's extras instead,
        so its callers get defaults (idempotent by method, one attempt). Redirects are never followed: a
        redirected POST is re-sent or turned into a GET. Nothing of the URL, headers or body is logged.
        """
        method = (prepped_request.method or "GET").upper()
        operation = str(
            extra_options.get("operation")
            or f"{method.lower()} {urlsplit(str(prepped_request.url or '')).path}"
        )
        idempotent = bool(extra_options.get("idempotent", method in IDEMPOTENT_METHODS))
        attempt = int(extra_options.get("attempt", 1))
        limiter = self.rate_limiter if extra_options.get("rate_limited", True) else None
        timeouts = self.timeouts
        settings = session.merge_environment_settings(
            prepped_request.url,
            proxies=session.proxies,
            stream=True,
            verify=session.verify,
            cert=session.cert,
        )
        with rate_limited_slot(limiter):
            started = time.perf_counter()  # time on the wire, not time spent waiting for a slot
            try:
                raw = session.send(
                    prepped_request, timeout=timeouts.for_requests, allow_redirects=False, **settings
                )
                try:
                    body = read_bounded(
                        raw,
                        limit=self.max_response_bytes,
                        deadline=started + timeouts.total_seconds,
                        operation=operation,
                        attempt=attempt,
                    )
                finally:
                    raw.close()
            except requests.RequestException as exc:
                error = classify_exception(exc, operation=operation, idempotent=idempotent, attempt=attempt)
                self._log_attempt(operation, method, None, attempt, started, 0, error)
                raise error from None  # the cause's message holds the full URL; ours is redacted
            except ResponseTooLargeError as too_large:
                too_large.status = raw.status_code
                self._log_attempt(operation, method, raw.status_code, attempt, started, 0, too_large)
                raise
        response = TransportResponse(
            status=raw.status_code,
            headers=detached_headers(raw.headers),
            content=body,
            operation=operation,
            attempts=attempt,
            duration_ms=(time.perf_counter() - started) * 1000,
        )
        refusal = self._classify(response, idempotent)
        self._log_attempt(operation, method, response.status, attempt, started, len(body), refusal)
        if refusal is not None:
            if isinstance(refusal, RateLimitedError) and refusal.retry_after and limiter is not None:
                limiter.defer(refusal.retry_after)
            raise refusal
        return response

    def check_response(self, response: requests.Response) -> None:
        """Raise the classified error for a non-2xx answer — without ``HttpHook``'s logging of the body."""
        answer = TransportResponse(
            status=response.status_code,
            headers=detached_headers(response.headers),
            content=response.content,
            operation=f"{(response.request.method or '').lower()} {urlsplit(response.url).path}",
            attempts=1,
            duration_ms=response.elapsed.total_seconds() * 1000,
        )
        refusal = self._classify(answer, (response.request.method or "") in IDEMPOTENT_METHODS)
        if refusal is not None:
            raise refusal

    def _classify(self, response: TransportResponse, idempotent: bool) -> TransportError | None:
        if response.ok:
            return None
        if self.response_classifier is not None:
            special = self.response_classifier(response, idempotent)
            if special is not None:
                return special
        return classify_status(response, idempotent=idempotent)

    def _log_attempt(
        self,
        operation: str,
        method: str,
        status: int | None,
        attempt: int,
        started: float,
        size: int,
        error: TransportError | None,
    ) -> None:
        outcome = "ok" if error is None else type(error).__name__
        call_log.log(
            logging.INFO if error is None else logging.WARNING,
            "%s call operation=%s method=%s status=%s attempt=%d duration_ms=%d bytes=%d outcome=%s",
            self.service_name,
            operation,
            method,
            status if status is not None else "-",
            attempt,
            round((time.perf_counter() - started) * 1000),
            size,
            outcome,
        )

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        """Release pooled connections. The hook can be used again afterwards (it builds a new session)."""
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def __enter__(self) -> ApiHookBase[ConfigT]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
