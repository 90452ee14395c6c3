"""What the hooks add on top of Airflow's ``HttpHook``: the pieces ``HttpHook`` does not have.

``HttpHook`` builds the ``requests`` session from the connection (base URL, auth, proxies, ``verify``,
``cert``, keep-alive adapter); :class:`~jetshop_hogia_provider.hooks.base.ApiHookBase` sends through it
with these small, separately tested pieces (see ``docs/connections.md``):

- error classification: :func:`classify_status` / ``classify_exception`` → :class:`TransientError`,
  :class:`PermanentError`, :class:`AmbiguousWriteError` and subclasses; :func:`parse_retry_after`
- retries: :class:`RetryPolicy` (back-off with jitter, ``Retry-After``, attempt and time budgets)
- rate limiting: :class:`SlidingWindowRateLimiter`, :func:`shared_rate_limiter` (Redis optional)
- bounded reads: :class:`Timeouts`, :func:`read_bounded`
- log hygiene: :func:`body_summary` (error bodies as codes, field names and ids), :func:`redact_text`,
  :func:`register_secret`

Import from here; the submodules are an implementation detail.
"""

from __future__ import annotations

from jetshop_hogia_provider.transport.classify import ResponseClassifier, classify_status, parse_retry_after
from jetshop_hogia_provider.transport.errors import (
    AmbiguousWriteError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermanentError,
    RateLimitedError,
    ResponseTooLargeError,
    TransientError,
    TransportError,
    UnprocessableError,
)
from jetshop_hogia_provider.transport.excerpt import body_summary
from jetshop_hogia_provider.transport.ratelimit import (
    RateLimiter,
    SlidingWindowRateLimiter,
    shared_rate_limiter,
)
from jetshop_hogia_provider.transport.reading import DEFAULT_MAX_RESPONSE_BYTES, Timeouts, read_bounded
from jetshop_hogia_provider.transport.redaction import redact_excerpt, redact_text, register_secret
from jetshop_hogia_provider.transport.response import TransportResponse
from jetshop_hogia_provider.transport.retry import NO_RETRY, RetryPolicy

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NO_RETRY",
    "AmbiguousWriteError",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermanentError",
    "RateLimitedError",
    "RateLimiter",
    "ResponseClassifier",
    "ResponseTooLargeError",
    "RetryPolicy",
    "SlidingWindowRateLimiter",
    "Timeouts",
    "TransientError",
    "TransportError",
    "TransportResponse",
    "UnprocessableError",
    "body_summary",
    "classify_status",
    "parse_retry_after",
    "read_bounded",
    "redact_excerpt",
    "redact_text",
    "register_secret",
    "shared_rate_limiter",
]
