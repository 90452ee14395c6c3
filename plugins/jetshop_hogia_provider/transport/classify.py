"""Turning HTTP answers and low-level failures into Transient / Permanent / Ambiguous errors.

The decisions, in one place:

- Never sent (connect timeout, refused, DNS failure): transient for every call, even a write.
- Sent, answer lost (read timeout, reset, ``RemoteDisconnected``, broken chunked body): transient for an
  idempotent call; :class:`AmbiguousWriteError` for a non-idempotent write.
- 429, 503 and 408: transient for every call. These are explicit "not processed, come back later"
  answers; a write refused this way was not applied.
- 500, 502, 504 and other 5xx: transient for an idempotent call; ambiguous for a non-idempotent write.
  A 500 may come after the work was committed, and 502/504 come from a proxy whose upstream may well
  have applied the request before the proxy gave up on it.
- 501, 505, 3xx and every 4xx except 408/429: permanent (the same request fails the same way; redirects
  are not followed because a redirected POST is re-sent or turned into a GET).
- TLS certificate failures: permanent (configuration, nothing was sent).

Messages carry the body only as :func:`~.excerpt.body_summary` (codes, field names, ids; no free text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from urllib3.exceptions import ConnectTimeoutError

from jetshop_hogia_provider.transport.errors import (
    AmbiguousWriteError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermanentError,
    RateLimitedError,
    TransientError,
    TransportError,
    UnprocessableError,
)
from jetshop_hogia_provider.transport.excerpt import body_summary
from jetshop_hogia_provider.transport.redaction import describe_exception
from jetshop_hogia_provider.transport.response import TransportResponse

ResponseClassifier = Callable[[TransportResponse, bool], TransportError | None]
"""A service-specific rule run before the generic one on every non-2xx answer.

Gets the answer and whether the call is idempotent; returns an error to raise, or None to fall back to
the status-code rules. The Jetshop hook uses it to make a SOAP ``Sender`` fault (HTTP 500) permanent.
"""

_CONFIGURATION_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.URLRequired,
    requests.exceptions.TooManyRedirects,
    requests.exceptions.InvalidJSONError,
)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (requests and urllib3 nest their errors several levels deep)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
        stack.extend(item for item in nested if isinstance(item, BaseException))


def request_never_sent(exc: BaseException) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return any(isinstance(cause, ConnectTimeoutError) for cause in _causes(exc))  # incl. NewConnectionError


def _is_certificate_failure(exc: BaseException) -> bool:
    return any(type(cause).__name__ == "SSLCertVerificationError" for cause in _causes(exc))


def classify_exception(
    exc: requests.RequestException, *, operation: str, idempotent: bool, attempt: int
) -> TransportError:
    """The typed error for a request that produced no (complete) answer."""
    detail = describe_exception(exc)
    if isinstance(exc, _CONFIGURATION_ERRORS) or _is_certificate_failure(exc):
        return PermanentError(f"request cannot be sent: {detail}", operation=operation, attempts=attempt)
    if request_never_sent(exc):
        return TransientError(f"no connection, nothing sent: {detail}", operation=operation, attempts=attempt)
    if idempotent:
        return TransientError(f"answer lost: {detail}", operation=operation, attempts=attempt)
    return AmbiguousWriteError(
        f"write sent but its answer was lost; it may have been applied, look it up first: {detail}",
        operation=operation,
        attempts=attempt,
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent or invalid."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


_PERMANENT_BY_STATUS: dict[int, type[PermanentError]] = {
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    410: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    422: UnprocessableError,
}


def classify_status(response: TransportResponse, *, idempotent: bool) -> TransportError | None:
    """The typed error for a complete answer, or None when it is a success (2xx)."""
    status = response.status
    if 200 <= status < 300:
        return None
    summary = body_summary(response.content)
    detail = f"body: {summary}" if summary else "empty body"
    retry_after = parse_retry_after(response.header("Retry-After"))

    def transient(kind: type[TransientError], why: str) -> TransientError:
        return kind(
            f"{why}; {detail}",
            operation=response.operation,
            status=status,
            response=response,
            attempts=response.attempts,
            retry_after=retry_after,
        )

    def final(kind: type[TransportError], why: str) -> TransportError:
        return kind(
            f"{why}; {detail}",
            operation=response.operation,
            status=status,
            response=response,
            attempts=response.attempts,
        )

    if status == 429:
        return transient(RateLimitedError, "rate limited")
    if status in (408, 503):
        return transient(TransientError, "not processed, try later")
    if status >= 500 and status not in (501, 505):
        if idempotent:
            return transient(TransientError, "server error")
        return final(AmbiguousWriteError, "server error after a write was sent; it may have been applied")
    if 300 <= status < 400:
        return final(PermanentError, "unexpected redirect (not followed), check the endpoint URL")
    return final(_PERMANENT_BY_STATUS.get(status, PermanentError), "refused")
