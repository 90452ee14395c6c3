"""The three outcomes a failed API call can have, as exception types callers can branch on.

They live in the domain package because they are the contract between the hooks (which raise them) and
the streams (which decide per order what to do about them); ``jetshop_hogia_provider.transport`` re-exports
them, so both import paths name the same classes.

Whether a failure may be retried depends on whether the remote side could have acted on the request:

- :class:`TransientError` — nothing was applied, or the call is idempotent: trying again is safe and the
  transport already did so (with back-off) before raising it.
- :class:`PermanentError` — the remote side refused the request itself (4xx, SOAP ``Sender`` faults, an
  oversized answer): the same request fails the same way, so it is never retried.
- :class:`AmbiguousWriteError` — a *non-idempotent* write was sent but its answer was lost. It may or may
  not have been applied. The transport never retries it; the caller must look the record up (e.g. an
  invoice by its order number) before deciding to send it again. This is what prevents duplicate invoices.

Messages never contain credentials, tokens, query strings or more than a redacted excerpt of a body.
"""

from __future__ import annotations

from typing import Any


class TransportError(Exception):
    """Base of every error the transport raises."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status: int | None = None,
        response: Any = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.status = status
        self.response = response
        """The full answer, for callers that parse structured error bodies; never put it in a log."""
        self.attempts = attempts

    def __str__(self) -> str:
        status = f" HTTP {self.status}" if self.status is not None else ""
        return f"{self.operation}{status} (attempt {self.attempts}): {self.args[0]}"


class TransientError(TransportError):
    """Safe to try again later; the transport's own retries are already used up when this escapes."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status: int | None = None,
        response: Any = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, operation=operation, status=status, response=response, attempts=attempts)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (``Retry-After``), if it said."""


class RateLimitedError(TransientError):
    """HTTP 429: the server's rate limit refused the request (it was not applied)."""


class PermanentError(TransportError):
    """The request itself is wrong or refused; sending it again cannot help."""


class AuthenticationError(PermanentError):
    """401/403: bad or expired credentials (a hook may refresh a token once, then gives up)."""


class NotFoundError(PermanentError):
    """404: the addressed entity does not exist."""


class ConflictError(PermanentError):
    """409/412: the entity changed underneath us (stale version)."""


class UnprocessableError(PermanentError):
    """422: a business rule refused the request (e.g. unknown customer, duplicate number)."""


class ResponseTooLargeError(PermanentError):
    """The answer exceeded the configured byte limit; it was not read to the end."""


class AmbiguousWriteError(TransportError):
    """A non-idempotent write was sent and its answer lost: it may have been applied. Look it up first."""


class UnreadableResponseError(PermanentError):
    """The service answered 2xx but the body does not fit the model (a changed API version, a broken
    proxy). For a write this means it was probably applied: treat it like an ambiguous write."""


class SetupError(Exception):
    """The deployment lacks something no retry can create (a connection, a required setting).

    A light base class in this leaf module so the DAG's retry policy can name it by dotted path at parse
    time without importing the heavy module that raises the concrete error.
    """
