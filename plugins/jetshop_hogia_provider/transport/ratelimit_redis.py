"""The sliding-window limiter of :mod:`.ratelimit`, shared by many processes through Redis.

Several Airflow workers may use the same Hogia client id at once; the server counts them together, so
their limiters must too. The state is one sorted set per key: members are tickets, scores the time from
which a request's window runs (a lease in the future while it is in flight, its receipt time once
answered). Every decision is one Lua script using Redis' own clock, so processes on different hosts
agree on time and two admissions can never race past the limit.

A process that dies mid-request leaves its lease behind; it expires ``lease_seconds`` later, so a crash
costs at most one slot for that long, never a stuck limiter.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any, Final

_ACQUIRE: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, hold, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return {0, blocked - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - hold)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], lease + hold + 1000)
  return {1, 0}
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if oldest > now then return {0, -1} end
return {0, oldest + hold - now}
"""

_RELEASE: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
"""

_DEFER: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > current then redis.call('SET', KEYS[1], untl, 'PX', tonumber(ARGV[1]) + 1000) end
"""

KEY_PREFIX: Final = "jetshop_hogia:ratelimit:"
_IN_FLIGHT_POLL_SECONDS: Final = 0.02


class RedisSlidingWindowRateLimiter:
    """Same contract as :class:`~.ratelimit.SlidingWindowRateLimiter`, across processes."""

    def __init__(
        self,
        key: str,
        limit: int,
        window_seconds: float,
        *,
        redis_url: str,
        margin_seconds: float = 0.05,
        lease_seconds: float = 300.0,
        client: Any | None = None,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a rate limit needs limit >= 1 and a positive window")
        import redis  # lazy: only processes that opt into sharing need the client library loaded

        self.limit = limit
        self.window_seconds = window_seconds
        self._hold_ms = round((window_seconds + margin_seconds) * 1000)
        self._lease_ms = round(lease_seconds * 1000)
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # keep logins out of Redis key names
        self._window_key = f"{KEY_PREFIX}{digest}:window"
        self._block_key = f"{KEY_PREFIX}{digest}:blocked"
        self._redis = client if client is not None else redis.Redis.from_url(redis_url)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)
        self._defer = self._redis.register_script(_DEFER)

    def acquire(self) -> object:
        """Block until Redis admits the request; the ticket is its member name in the sorted set."""
        ticket = uuid.uuid4().hex
        while True:
            admitted, wait_ms = self._acquire(
                keys=[self._window_key, self._block_key],
                args=[self.limit, self._hold_ms, self._lease_ms, ticket],
            )
            if int(admitted) == 1:
                return ticket
            wait_ms = int(wait_ms)
            time.sleep(_IN_FLIGHT_POLL_SECONDS if wait_ms < 0 else max(wait_ms, 1) / 1000)

    def release(self, ticket: object) -> None:
        """Restamp the ticket with the receipt time (no-op if its lease already expired)."""
        self._release(keys=[self._window_key], args=[str(ticket)])

    def defer(self, seconds: float) -> None:
        """Block every process using this key for ``seconds``."""
        self._defer(keys=[self._block_key], args=[max(1, round(seconds * 1000))])

    def reset(self) -> None:
        """Forget the shared state (tests)."""
        self._redis.delete(self._window_key, self._block_key)
