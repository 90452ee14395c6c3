"""Retrying transient failures: exponential back-off with jitter, honouring ``Retry-After``.

Only :class:`~.errors.TransientError` is retried; permanent and ambiguous errors escape at once. The
budget is bounded both by attempts and by total time, so a task never sleeps past what Airflow's own
task retry would do better. A ``Retry-After`` longer than ``max_retry_after_seconds`` is not slept in
the task: the error escapes with ``retry_after`` set, for the caller (or Airflow's retry) to honour.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from jetshop_hogia_provider.transport.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the transport tries before giving a transient error back to the caller."""

    max_attempts: int = 5
    initial_backoff_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    max_retry_after_seconds: float = 60.0
    total_budget_seconds: float = 180.0

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Wait after failed ``attempt`` (1-based): half fixed, half random, so clients spread out."""
        ceiling = min(self.max_backoff_seconds, self.initial_backoff_seconds * 2.0 ** (attempt - 1))
        jitter = (rng or random).uniform(0, ceiling / 2)
        return ceiling / 2 + jitter

    def wait_for(self, error: BaseException | None, attempt: int) -> float:
        """Seconds to sleep before the next attempt: the server's ``Retry-After`` if given, else back-off.

        A small random addition to ``Retry-After`` keeps clients that were refused together from coming
        back in the same millisecond; it is never shorter than what the server asked for.
        """
        retry_after = error.retry_after if isinstance(error, TransientError) else None
        if retry_after is not None:
            return retry_after + random.uniform(0, min(0.25, 0.1 * retry_after + 0.01))
        return self.backoff(attempt)

    def should_retry(self, error: BaseException) -> bool:
        """Transient errors whose requested wait fits the policy."""
        if not isinstance(error, TransientError):
            return False
        return error.retry_after is None or error.retry_after <= self.max_retry_after_seconds


NO_RETRY = RetryPolicy(max_attempts=1)
"""For calls whose caller retries itself (and for tests of single attempts)."""


def call_with_retries(
    attempt_fn: Callable[[int], T],
    policy: RetryPolicy,
    *,
    logger: logging.Logger,
    operation: str,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``attempt_fn(attempt_number)`` until it returns, or a non-retryable error or the budget ends."""

    def log_sleep(state: tenacity.RetryCallState) -> None:
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.info(
            "retrying operation=%s after attempt=%d in %d ms",
            operation,
            state.attempt_number,
            round(wait * 1000),
        )

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(policy.should_retry),
        stop=tenacity.stop_after_attempt(policy.max_attempts)
        | tenacity.stop_before_delay(policy.total_budget_seconds),
        wait=lambda state: policy.wait_for(
            state.outcome.exception() if state.outcome else None, state.attempt_number
        ),
        before_sleep=log_sleep,
        sleep=sleep,
        reraise=True,
    )
    for attempt in retrying:
        with attempt:
            return attempt_fn(attempt.retry_state.attempt_number)
    raise AssertionError("tenacity ended without an outcome")  # pragma: no cover - reraise=True prevents it
