"""Bounded reads: an answer is read whole, but never more than a byte limit or past a total deadline.

``requests`` bounds each socket read (``timeout``) but not the whole answer: a server dripping one byte
per read interval, or a proxy streaming an endless error page, would hold a worker forever and fill its
memory. The hooks therefore always send with ``stream=True`` and read the body here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from jetshop_hogia_provider.transport.errors import ResponseTooLargeError

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

    @property
    def for_requests(self) -> tuple[float, float]:
        """The ``timeout=(connect, read)`` tuple ``requests`` takes."""
        return (self.connect, self.read)


def read_bounded(
    raw: requests.Response, *, limit: int, deadline: float, operation: str, attempt: int
) -> bytes:
    """The (decoded) body of a streamed answer, refusing more than ``limit`` bytes or past ``deadline``.

    ``deadline`` is a :func:`time.perf_counter` value. Passing it raises ``requests``' own
    ``ReadTimeout``, so it is classified exactly like a socket read timeout.
    """
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
