"""Historical runs are quiet: backfills and catch-up runs of past windows send no e-mail, capture nothing.

A customer must not get twenty mails when a week is replayed, and a payment must not be captured by a
replay someone started to repair statuses. So a run whose window lies in the past (or that Airflow
started as a backfill) suppresses both by default; the run parameter ``notify_customers`` (true/false)
decides deliberately either way. The choice and its reason are logged by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jetshop_hogia.kernel.stream import RunWindow

NOTIFY_PARAM = "notify_customers"
QUIET_AFTER = timedelta(hours=1)
"""A window that ended longer ago than this (and than twice its own length) is historical."""


@dataclass(frozen=True)
class CustomerEffects:
    """Whether this run may mail customers and capture payments, and why."""

    mail: bool
    capture: bool
    historical: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """For XCom and the run's files."""
        return {
            "mail": self.mail,
            "capture": self.capture,
            "historical": self.historical,
            "reason": self.reason,
        }


def _flag(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "on", "off"):
        return value.strip().lower() in ("true", "yes", "on")
    raise ValueError(f"{NOTIFY_PARAM} must be true or false, not {value!r}")


def customer_effects(
    window: RunWindow, run_id: str, params: Mapping[str, Any], now: datetime | None = None
) -> CustomerEffects:
    """Decide e-mail and capture for one run: the parameter wins; else historical runs are quiet."""
    moment = now or datetime.now(UTC)
    age = moment - window.end
    historical = run_id.startswith("backfill__") or age > max(QUIET_AFTER, 2 * window.duration)
    chosen = _flag(params.get(NOTIFY_PARAM))
    if chosen is not None:
        reason = f"run parameter {NOTIFY_PARAM}={str(chosen).lower()}"
        return CustomerEffects(chosen, chosen, historical, reason)
    if historical:
        reason = "historical run (backfill or past window): customer e-mail and capture suppressed by default"
        return CustomerEffects(False, False, True, reason)
    return CustomerEffects(True, True, False, "current window: e-mail and capture as configured")
