"""The simulators' shared machinery: limiters, fault draws, clock, connection drops, seeding."""

from __future__ import annotations

import http.client
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from jetshop_hogia_simulators.common.asgi import ConnectionDropMiddleware
from jetshop_hogia_simulators.common.clock import SimClock
from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.common.faults import FaultConfig, FaultInjector, FaultKind
from jetshop_hogia_simulators.common.ratelimit import SlidingWindowLimiter, TokenBucketLimiter
from jetshop_hogia_simulators.common.server import running
from jetshop_hogia_simulators.seed import generate_world


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_refuses_the_26th_request_in_any_5_seconds() -> None:
    clock = FakeTime()
    limiter = SlidingWindowLimiter(25, 5.0, monotonic=clock)
    for step in range(25):
        clock.now = step * 0.1
        assert limiter.check("client").allowed
    verdict = limiter.check("client")
    assert not verdict.allowed
    assert verdict.retry_after_seconds == 3  # first hit at 0.0 leaves the window at 5.0; now is 2.4
    clock.now = 5.0
    assert limiter.check("client").allowed
    assert limiter.check("other-client").allowed


def test_token_bucket_admits_a_burst_that_a_sliding_window_refuses() -> None:
    """The reason Hogia's model uses a sliding window: a bucket lets 25 + refill through in 5 s."""
    clock = FakeTime()
    bucket = TokenBucketLimiter(25, 5.0, monotonic=clock)
    window = SlidingWindowLimiter(25, 5.0, monotonic=clock)
    admitted_bucket = admitted_window = 0
    for step in range(50):
        clock.now = step * 0.1  # 50 requests over 4.9 s
        admitted_bucket += bucket.check("c").allowed
        admitted_window += window.check("c").allowed
    assert admitted_window == 25
    assert admitted_bucket > 25


def test_fault_draws_follow_the_configured_shares_and_are_repeatable() -> None:
    config = FaultConfig(error_503_share=0.2, lost_response_share=0.1, seed=7)
    first = [FaultInjector(config).decide("op").kind for _ in range(1)]
    injector_a, injector_b = FaultInjector(config), FaultInjector(config)
    draws_a = [injector_a.decide("op").kind for _ in range(2000)]
    draws_b = [injector_b.decide("op").kind for _ in range(2000)]
    assert draws_a == draws_b
    assert first[0] == draws_a[0]
    share_503 = draws_a.count(FaultKind.ERROR_503) / len(draws_a)
    share_lost = draws_a.count(FaultKind.LOST_RESPONSE) / len(draws_a)
    assert 0.16 < share_503 < 0.24
    assert 0.07 < share_lost < 0.13


def test_faults_can_be_limited_to_named_operations_and_down_means_503() -> None:
    injector = FaultInjector(FaultConfig(error_500_share=1.0, operations=["write"]))
    assert injector.decide("read").kind is FaultKind.NONE
    assert injector.decide("write").kind is FaultKind.ERROR_500
    injector.configure(FaultConfig(down=True))
    assert injector.decide("read").kind is FaultKind.ERROR_503


def test_fault_shares_over_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="more than 1"):
        FaultConfig(error_500_share=0.7, reset_share=0.5)


def test_latency_follows_median_and_p95() -> None:
    injector = FaultInjector(FaultConfig(latency_ms_median=50, latency_ms_p95=400, seed=1))
    delays = sorted(injector.decide("op").delay_seconds for _ in range(4000))
    median, p95 = delays[len(delays) // 2], delays[int(len(delays) * 0.95)]
    assert 0.040 < median < 0.060
    assert 0.300 < p95 < 0.500


def test_clock_moves_and_freezes() -> None:
    clock = SimClock()
    before = clock.now()
    after = clock.advance(86_400)
    assert (after - before).total_seconds() >= 86_400
    frozen = clock.set(datetime(2026, 3, 29, 1, 30), freeze=True)  # naive = Stockholm local time
    assert frozen == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert clock.now() == frozen
    assert clock.local_now() == datetime(2026, 3, 29, 1, 30)


def _drop_app(core: SimulatorCore, applied: list[str]) -> ConnectionDropMiddleware:
    app = FastAPI()

    @app.post("/write")
    async def write(request: Request) -> Response:
        early = await core.before(
            request, "write", credential=None, error_response=lambda s, m: JSONResponse(m, status_code=s)
        )
        if early is not None:
            return early
        applied.append("x")
        core.after(request)
        return JSONResponse("ok")

    return ConnectionDropMiddleware(app)


def test_lost_response_applies_the_write_and_drops_the_connection() -> None:
    applied: list[str] = []
    core = SimulatorCore(faults=FaultConfig(lost_response_share=1.0))
    with running(_drop_app(core, applied)) as server:
        with pytest.raises(requests.ConnectionError):
            requests.post(f"{server.url}/write", timeout=5)
        assert applied == ["x"]
        core.faults.configure(FaultConfig(reset_share=1.0))
        with pytest.raises(requests.ConnectionError):
            requests.post(f"{server.url}/write", timeout=5)
        assert applied == ["x"], "a reset happens before the write is applied"
        core.faults.configure(FaultConfig())
        assert requests.post(f"{server.url}/write", timeout=5).json() == "ok"
        assert core.calls["write"] == 3


def test_a_dropped_connection_is_a_reset_not_an_answer() -> None:
    core = SimulatorCore(faults=FaultConfig(reset_share=1.0))
    with running(_drop_app(core, [])) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
        conn.request("POST", "/write", body=b"")
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
            conn.getresponse()


def test_hang_outlasts_the_client_timeout() -> None:
    core = SimulatorCore(faults=FaultConfig(hang_share=1.0, hang_seconds=1.5))
    with running(_drop_app(core, [])) as server, pytest.raises(requests.Timeout):
        requests.post(f"{server.url}/write", timeout=0.5)


def test_same_seed_same_world_other_seed_other_world() -> None:
    first, again, other = generate_world(7), generate_world(7), generate_world(8)
    assert first == again
    assert first.orders != other.orders


def test_seeded_orders_cover_what_integrations_get_wrong() -> None:
    world = generate_world(42, orders_per_shop=40)
    orders = [order for shop_orders in world.orders.values() for order in shop_orders]
    rows = [row for order in orders for row in order.rows]
    assert {row.vat_rate for row in rows} >= {Decimal("0.25"), Decimal("0.06"), Decimal("0")}
    assert {row.row_type.value for row in rows} >= {"Product", "Freight", "PaymentFee", "Discount"}
    assert any(row.discount_inc_vat > 0 for row in rows)
    assert any(row.variant_value for row in rows)
    assert any(order.customer.is_company for order in orders)
    assert any(not order.customer.is_company for order in orders)
    assert any(ch in (order.customer.last_name or "") for order in orders for ch in "åäöÅÄÖ")
    assert any(row.unit_price_inc_vat % 1 != 0 for row in rows), "öre prices"
    assert {order.currency for order in orders} >= {"SEK", "NOK"}
    for order in orders:
        assert order.total_inc_vat == sum(row.total_inc_vat for row in order.rows)
