"""What every simulated request goes through: counting, latency, rate limit and injected faults.

A handler calls :meth:`SimulatorCore.before` first; a non-None answer is returned as is (a 429, a 5xx,
or a dummy for a dropped connection). After applying its effect it calls :meth:`SimulatorCore.after`,
which implements *applied but response lost*. Keeping this in one place means both simulators fail in
the same, documented ways.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia_simulators.common.asgi import mark_drop
from jetshop_hogia_simulators.common.clock import SimClock
from jetshop_hogia_simulators.common.faults import FaultConfig, FaultInjector, FaultKind
from jetshop_hogia_simulators.common.ratelimit import Limiter

ErrorResponder = Callable[[int, str], Response]
"""Builds the service's own error body for an injected status code and message."""

_PENDING_LOSS = "simulator.pending_lost_response"


class SimulatorCore:
    """Clock, fault injector, optional rate limiter and call counters of one simulator."""

    def __init__(
        self,
        *,
        faults: FaultConfig | None = None,
        limiter: Limiter | None = None,
        clock: SimClock | None = None,
    ) -> None:
        self.clock = clock or SimClock()
        self.faults = FaultInjector(faults)
        self.limiter = limiter
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()

    async def before(
        self,
        request: Request,
        operation: str,
        *,
        credential: str | None,
        error_response: ErrorResponder,
        rate_limited_response: Callable[[int], Response] | None = None,
    ) -> Response | None:
        """Count the call and apply latency, rate limit and pre-apply faults.

        Returns the response to send instead of handling the request, or None to go on.
        """
        with self._lock:
            self.calls[operation] += 1
        decision = self.faults.decide(operation)
        if decision.delay_seconds:
            await asyncio.sleep(decision.delay_seconds)
        if self.limiter is not None and credential is not None and rate_limited_response is not None:
            verdict = self.limiter.check(credential)
            if not verdict.allowed:
                with self._lock:
                    self.rate_limited[credential] += 1
                return rate_limited_response(verdict.retry_after_seconds)
        if decision.kind is FaultKind.NONE:
            return None
        if decision.status_code is not None:
            return error_response(decision.status_code, f"Injected fault: HTTP {decision.status_code}")
        if decision.kind is FaultKind.HANG:
            await asyncio.sleep(self.faults.config.hang_seconds)
            mark_drop(request)
            return Response(status_code=504)
        if decision.kind is FaultKind.RESET:
            mark_drop(request)
            return Response(status_code=599)
        # LOST_RESPONSE: let the handler apply the request, then drop in after().
        request.scope.setdefault("state", {})[_PENDING_LOSS] = True
        return None

    def after(self, request: Request) -> None:
        """Drop the connection now if this request was chosen to lose its response."""
        if request.scope.get("state", {}).get(_PENDING_LOSS):
            mark_drop(request)

    def reset_counters(self) -> None:
        """Zero call, rate-limit and fault counters."""
        with self._lock:
            self.calls.clear()
            self.rate_limited.clear()
        self.faults.reset_counts()
        if self.limiter is not None:
            self.limiter.reset()

    def describe(self) -> dict[str, object]:
        """Counters and configuration for the admin API."""
        with self._lock:
            return {
                "calls": dict(self.calls),
                "rate_limited": dict(self.rate_limited),
                "faults_injected": dict(self.faults.injected),
                "faults": self.faults.config.model_dump(),
                "clock": self.clock.describe(),
            }
