"""Fault injection: how a simulator misbehaves, set at start and changed at run time.

The faults are the ones that decide whether an integration is safe: slow answers, 5xx, hangs past the
client's timeout, connection resets, and the worst one, *applied but response lost* — the write happens
and the connection drops before the answer, which is what creates duplicate invoices in naive clients.
"""

from __future__ import annotations

import enum
import math
import random
import threading
from dataclasses import dataclass

from pydantic import BaseModel, Field, model_validator


class FaultConfig(BaseModel):
    """What the simulator should do wrong, and how often. Shares are probabilities in [0, 1]."""

    latency_ms_median: float = Field(default=0.0, ge=0, description="median added latency (log-normal)")
    latency_ms_p95: float = Field(default=0.0, ge=0, description="95th percentile of added latency")
    latency_ms_max: float = Field(default=10_000.0, ge=0, description="cap on added latency")
    error_500_share: float = Field(default=0.0, ge=0, le=1)
    error_502_share: float = Field(default=0.0, ge=0, le=1)
    error_503_share: float = Field(default=0.0, ge=0, le=1)
    hang_share: float = Field(default=0.0, ge=0, le=1, description="requests that hang, then drop")
    hang_seconds: float = Field(
        default=35.0, ge=0, description="how long a hang lasts (past the client timeout)"
    )
    reset_share: float = Field(
        default=0.0, ge=0, le=1, description="connection reset before the request is applied"
    )
    lost_response_share: float = Field(
        default=0.0, ge=0, le=1, description="request applied, then the connection drops before the answer"
    )
    down: bool = Field(default=False, description="the whole service answers 503 (an outage)")
    operations: list[str] | None = Field(
        default=None, description="limit faults to these operation names; None means every operation"
    )
    seed: int | None = Field(default=None, description="seed for repeatable fault sequences")

    @model_validator(mode="after")
    def _shares_fit(self) -> FaultConfig:
        total = (
            self.error_500_share
            + self.error_502_share
            + self.error_503_share
            + self.hang_share
            + self.reset_share
            + self.lost_response_share
        )
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault shares add up to {total:.3f}, more than 1")
        if self.latency_ms_p95 and self.latency_ms_p95 < self.latency_ms_median:
            raise ValueError("latency_ms_p95 must be at least latency_ms_median")
        return self


class FaultKind(enum.StrEnum):
    """The outcome chosen for one request."""

    NONE = "none"
    ERROR_500 = "error_500"
    ERROR_502 = "error_502"
    ERROR_503 = "error_503"
    HANG = "hang"
    RESET = "reset"
    LOST_RESPONSE = "lost_response"


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request: an added delay and at most one fault."""

    delay_seconds: float
    kind: FaultKind

    @property
    def status_code(self) -> int | None:
        """The HTTP status for error faults, None otherwise."""
        return {
            FaultKind.ERROR_500: 500,
            FaultKind.ERROR_502: 502,
            FaultKind.ERROR_503: 503,
        }.get(self.kind)


class FaultInjector:
    """Draws a :class:`FaultDecision` per request from the current :class:`FaultConfig`."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._rng = random.Random(self._config.seed)
        self.injected: dict[str, int] = {}

    @property
    def config(self) -> FaultConfig:
        """The configuration in force."""
        return self._config

    def configure(self, config: FaultConfig) -> None:
        """Replace the configuration (admin endpoint); reseeds when a seed is given."""
        with self._lock:
            self._config = config
            if config.seed is not None:
                self._rng = random.Random(config.seed)

    def decide(self, operation: str) -> FaultDecision:
        """Pick the delay and fault for one call of ``operation``."""
        with self._lock:
            cfg = self._config
            if cfg.down:
                kind = FaultKind.ERROR_503
            elif cfg.operations is not None and operation not in cfg.operations:
                return FaultDecision(self._latency(cfg), FaultKind.NONE)
            else:
                kind = self._pick(cfg)
            if kind is not FaultKind.NONE:
                self.injected[kind.value] = self.injected.get(kind.value, 0) + 1
            return FaultDecision(self._latency(cfg), kind)

    def _pick(self, cfg: FaultConfig) -> FaultKind:
        draw = self._rng.random()
        for kind, share in (
            (FaultKind.ERROR_500, cfg.error_500_share),
            (FaultKind.ERROR_502, cfg.error_502_share),
            (FaultKind.ERROR_503, cfg.error_503_share),
            (FaultKind.HANG, cfg.hang_share),
            (FaultKind.RESET, cfg.reset_share),
            (FaultKind.LOST_RESPONSE, cfg.lost_response_share),
        ):
            if draw < share:
                return kind
            draw -= share
        return FaultKind.NONE

    def _latency(self, cfg: FaultConfig) -> float:
        """Log-normal latency fitted to the median and p95 (the shape of real API latencies)."""
        if cfg.latency_ms_median <= 0:
            return 0.0
        mu = math.log(cfg.latency_ms_median)
        p95 = max(cfg.latency_ms_p95, cfg.latency_ms_median)
        sigma = (math.log(p95) - mu) / 1.6449 if p95 > cfg.latency_ms_median else 0.0
        millis = min(self._rng.lognormvariate(mu, sigma), cfg.latency_ms_max)
        return millis / 1000.0

    def reset_counts(self) -> None:
        """Forget how many faults were injected."""
        with self._lock:
            self.injected.clear()
