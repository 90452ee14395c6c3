"""Client-side rate limiting that a *sliding-window* server limit never refuses.

Hogia's model limit is "25 requests in any 5 s". A per-second token bucket lets a burst of 25 plus the
refill through within 5 s and trips it. This limiter counts what the server counts, conservatively:

- a request occupies a slot from the moment it is admitted until ``window`` seconds after its answer
  *arrived*. The server stamped the request somewhere between our send and our receipt, so measuring the
  window from our receipt can only over-estimate its count, never under-estimate it;
- requests still in flight count as occupying a slot (their server stamp is not yet known).

So at most ``limit`` requests are ever inside any server-side window, whatever the latency. The cost is
slightly lower throughput than the theoretical maximum, which is the point of a safety margin.

A 429 tells us the server disagrees (another client shares the credential): :meth:`defer` pauses every
thread using the limiter until the server's ``Retry-After`` has passed.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable


@runtime_checkable
class RateLimiter(Protocol):
    """What the transport needs from a limiter (in-process or shared through Redis)."""

    limit: int
    window_seconds: float

    def acquire(self) -> object:
        """Block until a request may be sent; returns a ticket to hand back to :meth:`release`."""
        ...

    def release(self, ticket: object) -> None:
        """The request's answer arrived (or it failed): its window starts now."""
        ...

    def defer(self, seconds: float) -> None:
        """Admit nothing for ``seconds`` (the server answered 429 with ``Retry-After``)."""
        ...


@contextmanager
def rate_limited_slot(limiter: RateLimiter | None) -> Iterator[None]:
    """Hold one slot of ``limiter`` (if any) for the duration of one HTTP attempt."""
    if limiter is None:
        yield
        return
    ticket = limiter.acquire()
    try:
        yield
    finally:
        limiter.release(ticket)


class SlidingWindowRateLimiter:
    """Thread-safe, in-process limiter: at most ``limit`` requests in any ``window_seconds``.

    ``margin_seconds`` is added to the window to absorb clock granularity and the server's own rounding.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        margin_seconds: float = 0.05,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        self.limit = limit
        self.window_seconds = window_seconds
        self._hold = window_seconds + margin_seconds
        self._monotonic = monotonic
        self._cond = threading.Condition()
        self._in_flight = 0
        self._finished: deque[float] = deque()  # receipt times, non-decreasing
        self._blocked_until = 0.0

    def acquire(self) -> object:
        """Block until a slot is free, then occupy it."""
        with self._cond:
            while True:
                wait = self._wait_needed(self._monotonic())
                if wait == 0.0:
                    self._in_flight += 1
                    return None
                self._cond.wait(timeout=wait)

    def release(self, ticket: object) -> None:
        """Turn the in-flight slot into a finished one whose window starts now."""
        with self._cond:
            self._in_flight -= 1
            self._finished.append(self._monotonic())
            self._cond.notify_all()

    def defer(self, seconds: float) -> None:
        """Pause admission for ``seconds`` from now."""
        with self._cond:
            self._blocked_until = max(self._blocked_until, self._monotonic() + seconds)

    def _wait_needed(self, now: float) -> float | None:
        """0.0 when a slot is free now, seconds to wait, or None to wait for a release."""
        if now < self._blocked_until:
            return self._blocked_until - now
        while self._finished and self._finished[0] + self._hold <= now:
            self._finished.popleft()
        if self._in_flight + len(self._finished) < self.limit:
            return 0.0
        if self._finished:
            return max(self._finished[0] + self._hold - now, 0.001)
        return None  # every slot is in flight: only a release can help


_registry_lock = threading.Lock()
_registry: dict[tuple[str, int, float, str | None], RateLimiter] = {}


def shared_rate_limiter(
    key: str,
    limit: int,
    window_seconds: float,
    *,
    redis_url: str | None = None,
    lease_seconds: float = 300.0,
) -> RateLimiter:
    """The one limiter for ``key`` in this process (created on first use).

    Hooks are created per task and sometimes per thread; they must still share one window per
    credential, so limiters live in this process-wide registry. With ``redis_url`` the window is also
    shared with every other process using the same key.
    """
    registry_key = (key, limit, float(window_seconds), redis_url)
    with _registry_lock:
        limiter = _registry.get(registry_key)
        if limiter is None:
            if redis_url:
                from jetshop_hogia_provider.transport.ratelimit_redis import RedisSlidingWindowRateLimiter

                limiter = RedisSlidingWindowRateLimiter(
                    key, limit, window_seconds, redis_url=redis_url, lease_seconds=lease_seconds
                )
            else:
                limiter = SlidingWindowRateLimiter(limit, window_seconds)
            _registry[registry_key] = limiter
        return limiter
