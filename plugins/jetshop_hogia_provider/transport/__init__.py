"""Shared HTTP transport of the Jetshop and Hogia Smart hooks (one implementation, used by both).

Import from here; the submodules are an implementation detail:

- :class:`HttpTransport` + :class:`TransportSettings` / :class:`Timeouts` / :class:`RetryPolicy`
- errors: :class:`TransientError`, :class:`PermanentError`, :class:`AmbiguousWriteError` and subclasses
- rate limiting: :class:`SlidingWindowRateLimiter`, :func:`shared_rate_limiter` (Redis optional)
- log hygiene: :func:`redact_excerpt`, :func:`register_secret`
"""

from __future__ import annotations

from jetshop_hogia_provider.transport.classify import ResponseClassifier, classify_status, parse_retry_after
from jetshop_hogia_provider.transport.client import (
    DEFAULT_MAX_RESPONSE_BYTES,
    HttpTransport,
    Timeouts,
    TransportSettings,
)
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
from jetshop_hogia_provider.transport.ratelimit import (
    RateLimiter,
    SlidingWindowRateLimiter,
    shared_rate_limiter,
)
from jetshop_hogia_provider.transport.redaction import redact_excerpt, redact_text, register_secret
from jetshop_hogia_provider.transport.response import TransportResponse
from jetshop_hogia_provider.transport.retry import NO_RETRY, RetryPolicy

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NO_RETRY",
    "AmbiguousWriteError",
    "AuthenticationError",
    "ConflictError",
    "HttpTransport",
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
    "TransportSettings",
    "UnprocessableError",
    "classify_status",
    "parse_retry_after",
    "redact_excerpt",
    "redact_text",
    "register_secret",
    "shared_rate_limiter",
]
