"""The client-side limiter keeps bursts inside a server's *sliding* window, in-process and via Redis.

The server is the simulators' own :class:`SlidingWindowLimiter`; it answers 429 for any request over the
limit in any window. Windows are scaled down (10 per 0.5 s instead of 25 per 5 s) to keep the suite fast;
a smaller window is the harder case, since latency is then a larger share of it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from hook_test_service import ScriptedService, scripted_hook

from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import (
    NO_RETRY,
    RateLimitedError,
    RateLimiter,
    SlidingWindowRateLimiter,
    shared_rate_limiter,
)
from jetshop_hogia_simulators.common.ratelimit import SlidingWindowLimiter
from jetshop_hogia_simulators.common.server import ThreadedServer

LIMIT, WINDOW = 10, 0.5
BURST = 60


def _burst(hooks: list[JetshopHook], url: str, total: int, threads_each: int) -> list[object]:
    """``total`` GETs spread over every hook, each driven by ``threads_each`` threads (one session each)."""

    def one(index: int) -> object:
        hook = hooks[index % len(hooks)]
        try:
            return hook.send("GET", url, operation="burst", idempotent=True, retry=NO_RETRY).status
        except RateLimitedError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=threads_each * len(hooks)) as pool:
        return list(pool.map(one, range(total)))


def test_without_a_client_limiter_the_burst_trips_the_server(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    """Control: shows the server limiter really refuses bursts, so the next tests prove something."""
    service.limiter = SlidingWindowLimiter(LIMIT, WINDOW)
    unlimited = SlidingWindowRateLimiter(100_000, 1.0)
    with scripted_hook(monkeypatch, server.url, rate_limiter=unlimited) as hook:
        outcomes = _burst([hook], f"{server.url}/x", 30, threads_each=4)
    assert sum(isinstance(o, RateLimitedError) for o in outcomes) > 0
    assert service.rate_limited > 0


def test_in_process_limiter_keeps_a_threaded_burst_under_the_sliding_window(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.limiter = SlidingWindowLimiter(LIMIT, WINDOW)
    limiter = SlidingWindowRateLimiter(LIMIT, WINDOW)
    with scripted_hook(monkeypatch, server.url, rate_limiter=limiter) as hook:
        started = time.monotonic()
        outcomes = _burst([hook], f"{server.url}/x", BURST, threads_each=6)
        elapsed = time.monotonic() - started
    assert outcomes == [200] * BURST
    assert service.rate_limited == 0
    # 60 requests at 10 per window need at least 5 full windows after the first.
    assert elapsed >= (BURST // LIMIT - 1) * WINDOW


def test_limiter_counts_in_flight_requests() -> None:
    """With every slot taken by unanswered requests, the next acquire must wait for a release."""
    limiter = SlidingWindowRateLimiter(2, 0.05)
    limiter.acquire()
    limiter.acquire()
    admitted = threading.Event()
    worker = threading.Thread(target=lambda: (limiter.acquire(), admitted.set()))
    worker.start()
    assert not admitted.wait(0.2), "admitted although two requests were still in flight"
    limiter.release(None)
    assert admitted.wait(1.0)
    worker.join()


def test_defer_pauses_admission() -> None:
    limiter = SlidingWindowRateLimiter(100, 1.0)
    limiter.defer(0.3)
    started = time.monotonic()
    limiter.release(limiter.acquire())
    assert time.monotonic() - started >= 0.29


def test_hooks_of_one_credential_share_one_limiter() -> None:
    first = shared_rate_limiter("svc:user-a", 25, 5.0)
    assert shared_rate_limiter("svc:user-a", 25, 5.0) is first
    assert shared_rate_limiter("svc:user-b", 25, 5.0) is not first


@pytest.mark.redis
def test_redis_limiter_keeps_two_processes_bursts_under_one_window(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    """Two limiter instances with their own Redis clients stand for two worker processes."""
    from jetshop_hogia_provider.transport.ratelimit_redis import RedisSlidingWindowRateLimiter

    key = f"test:{uuid.uuid4()}"
    make: Callable[[], RedisSlidingWindowRateLimiter] = lambda: RedisSlidingWindowRateLimiter(  # noqa: E731
        key, LIMIT, WINDOW, redis_url=redis_url, lease_seconds=10
    )
    limiters: list[RateLimiter] = [make(), make()]
    service.limiter = SlidingWindowLimiter(LIMIT, WINDOW)
    hooks = [scripted_hook(monkeypatch, server.url, rate_limiter=limiter) for limiter in limiters]
    try:
        started = time.monotonic()
        outcomes = _burst(hooks, f"{server.url}/x", BURST, threads_each=3)
        elapsed = time.monotonic() - started
    finally:
        for hook in hooks:
            hook.close()
        limiters[0].reset()  # type: ignore[attr-defined]
    assert outcomes == [200] * BURST
    assert service.rate_limited == 0
    assert elapsed >= (BURST // LIMIT - 1) * WINDOW


@pytest.mark.redis
def test_redis_defer_blocks_every_process(redis_url: str) -> None:
    from jetshop_hogia_provider.transport.ratelimit_redis import RedisSlidingWindowRateLimiter

    key = f"test:{uuid.uuid4()}"
    one = RedisSlidingWindowRateLimiter(key, 100, 1.0, redis_url=redis_url)
    other = RedisSlidingWindowRateLimiter(key, 100, 1.0, redis_url=redis_url)
    try:
        one.defer(0.3)
        started = time.monotonic()
        other.release(other.acquire())
        assert time.monotonic() - started >= 0.25
    finally:
        one.reset()
