"""Server-side rate limiters keyed by credential.

Hogia's model limit is a *sliding window* (25 requests in any 5 s), which is stricter than a token bucket
of the same size: a client limiter that only smooths per second still trips it. Both shapes are offered
so the simulator can model either; each answers "allowed" or "retry after N seconds".
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Verdict:
    """The limiter's answer for one request."""

    allowed: bool
    retry_after_seconds: int = 0


@dataclass
class SlidingWindowLimiter:
    """At most ``limit`` requests per key in any window of ``window_seconds``."""

    limit: int
    window_seconds: float
    monotonic: Callable[[], float] = time.monotonic
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, key: str) -> Verdict:
        """Record a request for ``key`` if it fits, else say how long to wait."""
        now = self.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window_seconds:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                return Verdict(True)
            wait = self.window_seconds - (now - hits[0])
            return Verdict(False, max(1, math.ceil(wait)))

    def reset(self) -> None:
        """Forget every key's history."""
        with self._lock:
            self._hits.clear()


@dataclass
class TokenBucketLimiter:
    """A bucket of ``limit`` tokens per key, refilled at ``limit / window_seconds`` per second."""

    limit: int
    window_seconds: float
    monotonic: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, key: str) -> Verdict:
        """Take a token for ``key`` if one is there, else say when the next one arrives."""
        rate = self.limit / self.window_seconds
        now = self.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(key, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + (now - stamp) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return Verdict(True)
            self._buckets[key] = (tokens, now)
            return Verdict(False, max(1, math.ceil((1.0 - tokens) / rate)))

    def reset(self) -> None:
        """Refill every bucket."""
        with self._lock:
            self._buckets.clear()


Limiter = SlidingWindowLimiter | TokenBucketLimiter


def make_limiter(kind: str, limit: int, window_seconds: float) -> Limiter:
    """Build a limiter by name (``sliding`` or ``bucket``)."""
    if kind == "sliding":
        return SlidingWindowLimiter(limit, window_seconds)
    if kind == "bucket":
        return TokenBucketLimiter(limit, window_seconds)
    raise ValueError(f"unknown rate limiter kind {kind!r}: use 'sliding' or 'bucket'")
