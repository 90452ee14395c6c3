"""The one HTTP transport both hooks use: timeouts, bounded reads, classification, retries, rate limit.

Format-agnostic on purpose: bytes go in, a :class:`TransportResponse` with bytes comes out. SOAP and
JSON codecs live above it; timeouts, retry rules, rate limits and log hygiene live only here.

Every attempt is logged as one line ``<service> call operation=… method=… status=… attempt=…
duration_ms=… bytes=… outcome=…``. URLs, query strings, headers and bodies are never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from jetshop_hogia_provider.transport.classify import (
    ResponseClassifier,
    classify_exception,
    classify_status,
)
from jetshop_hogia_provider.transport.errors import (
    RateLimitedError,
    ResponseTooLargeError,
    TransportError,
)
from jetshop_hogia_provider.transport.ratelimit import RateLimiter, rate_limited_slot
from jetshop_hogia_provider.transport.redaction import install_urllib3_log_filter
from jetshop_hogia_provider.transport.response import TransportResponse, detached_headers
from jetshop_hogia_provider.transport.retry import RetryPolicy, call_with_retries

DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Timeouts:
    """Seconds per phase. ``read`` bounds each socket read; ``total`` bounds reading one whole answer
    (a server dripping one byte per ``read`` interval would otherwise hold a worker forever)."""

    connect: float = 5.0
    read: float = 30.0
    total: float | None = None

    @property
    def total_seconds(self) -> float:
        """``total``, defaulting to connect + 3 × read."""
        return self.total if self.total is not None else self.connect + 3 * self.read


@dataclass(frozen=True)
class TransportSettings:
    """Everything that shapes the transport's behaviour, built by the hooks from their connection."""

    service: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    user_agent: str = "airflow-jetshop-hogia"
    pool_maxsize: int = 10


class HttpTransport:
    """A retrying, rate-limited, size-bounded HTTP client for one remote service and credential.

    Thread-safe: each thread gets its own ``requests.Session`` (sessions are not documented as
    thread-safe), all closed by :meth:`close`.
    """

    def __init__(
        self,
        settings: TransportSettings,
        *,
        rate_limiter: RateLimiter | None = None,
        response_classifier: ResponseClassifier | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.settings = settings
        self.rate_limiter = rate_limiter
        self.response_classifier = response_classifier
        self.log = logger or logging.getLogger(__name__)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        install_urllib3_log_filter()

    def request(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        idempotent: bool,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: requests.auth.AuthBase | tuple[str, str] | None = None,
        rate_limited: bool = True,
        retry: RetryPolicy | None = None,
    ) -> TransportResponse:
        """Send one logical call, retrying transient failures; return the 2xx answer or raise.

        ``idempotent`` is the caller's promise that sending the request twice has the effect of sending
        it once (reads, PUT, upserts). If False, a lost answer raises
        :class:`~.errors.AmbiguousWriteError` instead of being retried.
        ``rate_limited=False`` is for endpoints the service does not limit (an OAuth token endpoint).
        """

        def attempt(number: int) -> TransportResponse:
            return self._attempt(
                method,
                url,
                operation=operation,
                idempotent=idempotent,
                params=params,
                content=content,
                headers=headers,
                auth=auth,
                rate_limited=rate_limited,
                attempt=number,
            )

        return call_with_retries(attempt, retry or self.settings.retry, logger=self.log, operation=operation)

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        idempotent: bool,
        params: Mapping[str, Any] | None,
        content: bytes | None,
        headers: Mapping[str, str] | None,
        auth: requests.auth.AuthBase | tuple[str, str] | None,
        rate_limited: bool,
        attempt: int,
    ) -> TransportResponse:
        timeouts = self.settings.timeouts
        limiter = self.rate_limiter if rate_limited else None
        with rate_limited_slot(limiter):
            started = time.perf_counter()  # time on the wire, not time spent waiting for a slot
            try:
                raw = self._session().request(
                    method,
                    url,
                    params=params,
                    data=content,
                    headers=headers,
                    auth=auth,
                    timeout=(timeouts.connect, timeouts.read),
                    stream=True,
                    allow_redirects=False,
                )
                try:
                    body = self._read_bounded(raw, operation, attempt, started + timeouts.total_seconds)
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

    def _classify(self, response: TransportResponse, idempotent: bool) -> TransportError | None:
        if response.ok:
            return None
        if self.response_classifier is not None:
            special = self.response_classifier(response, idempotent)
            if special is not None:
                return special
        return classify_status(response, idempotent=idempotent)

    def _read_bounded(self, raw: requests.Response, operation: str, attempt: int, deadline: float) -> bytes:
        """Read the (decoded) body, refusing more than ``max_response_bytes`` or past ``deadline``."""
        limit = self.settings.max_response_bytes
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLargeError(
                f"answer declares {declared} bytes, over the {limit}-byte limit; not read",
                operation=operation,
                attempts=attempt,
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in raw.iter_content(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise ResponseTooLargeError(
                    f"answer exceeded the {limit}-byte limit; reading stopped",
                    operation=operation,
                    attempts=attempt,
                )
            if time.perf_counter() > deadline:
                raise requests.exceptions.ReadTimeout("answer not complete within the total timeout")
            chunks.append(chunk)
        return b"".join(chunks)

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
        self.log.log(
            logging.INFO if error is None else logging.WARNING,
            "%s call operation=%s method=%s status=%s attempt=%d duration_ms=%d bytes=%d outcome=%s",
            self.settings.service,
            operation,
            method,
            status if status is not None else "-",
            attempt,
            round((time.perf_counter() - started) * 1000),
            size,
            outcome,
        )

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # urllib3 must never re-send on its own: it does not know which requests are idempotent.
            adapter = HTTPAdapter(
                max_retries=Retry(total=0, read=False, redirect=False),
                pool_maxsize=self.settings.pool_maxsize,
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = self.settings.user_agent
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's session and its pooled connections."""
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
