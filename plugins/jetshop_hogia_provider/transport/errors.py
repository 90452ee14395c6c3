"""Error types of the transport; defined in :mod:`jetshop_hogia.errors` (the contract the streams branch
on) and re-exported here so hooks and callers can import them from either place."""

from __future__ import annotations

from jetshop_hogia.errors import (
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
    UnreadableResponseError,
)

__all__ = [
    "AmbiguousWriteError",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermanentError",
    "RateLimitedError",
    "ResponseTooLargeError",
    "TransientError",
    "TransportError",
    "UnprocessableError",
    "UnreadableResponseError",
]
