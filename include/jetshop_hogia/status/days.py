"""Reconciliation per local day: the chart and table of one tenant's Sync status page.

A tenant reconciles every run window (every 5-15 minutes), and a re-run or backfill of a window stores a
new result next to the old one. A day's figure therefore takes, per window (scope, start, end), only the
*latest* result — the verdict that stands — and sums those. Days are the tenant's local days (its time
zone, DST included), because that is how the merchant's books are kept.

Amounts come from each result's ``details["amounts"]`` (``{currency: {"expected": "…", "invoiced":
"…"}}``, gross, written by the order stream's reconcile step); results without them count orders only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from jetshop_hogia.state import ORDERS_STREAM, StateStore
from jetshop_hogia.state.models import ReconciliationResultRow
from jetshop_hogia.status.records import Amounts, DaySummary

R = ReconciliationResultRow
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class WindowResult:
    """The columns of one stored result the day figures need."""

    id: int
    scope: str
    window_start: datetime
    window_end: datetime
    ok: bool
    expected: int
    matched: int
    missing: int
    duplicates: int
    mismatched: int
    quarantined: int
    amounts: Mapping[str, Any] | None


def load_window_results(
    store: StateStore, tenant_id: str, since: datetime, *, stream: str = ORDERS_STREAM
) -> list[WindowResult]:
    """Every stored result of windows ending after ``since`` (index ``(tenant_id, stream, window_end)``).

    Only the ``amounts`` member of ``details`` is read, in SQL, never the per-order list beside it.
    """
    statement = select(
        R.id,
        R.scope,
        R.window_start,
        R.window_end,
        R.status,
        R.expected,
        R.matched,
        R.missing,
        R.duplicates,
        R.mismatched,
        R.quarantined,
        R.details["amounts"].label("amounts"),
    ).where(R.tenant_id == tenant_id, R.stream == stream, R.window_end > since)
    with store.engine.connect() as connection:
        return [
            WindowResult(
                id=row.id,
                scope=row.scope,
                window_start=row.window_start,
                window_end=row.window_end,
                ok=row.status == "ok",
                expected=row.expected,
                matched=row.matched,
                missing=row.missing,
                duplicates=row.duplicates,
                mismatched=row.mismatched,
                quarantined=row.quarantined,
                amounts=row.amounts if isinstance(row.amounts, Mapping) else None,
            )
            for row in connection.execute(statement)
        ]


def standing_verdicts(results: Iterable[WindowResult]) -> list[WindowResult]:
    """The latest result of each window (by id: results are inserted in the order they were made)."""
    latest: dict[tuple[str, datetime, datetime], WindowResult] = {}
    for result in results:
        key = (result.scope, result.window_start, result.window_end)
        if key not in latest or result.id > latest[key].id:
            latest[key] = result
    return list(latest.values())


def local_day(moment: datetime, timezone: ZoneInfo) -> date:
    """The tenant's calendar day a window belongs to: the day its start falls on, in local time."""
    return moment.astimezone(timezone).date()


def _money(raw: object) -> Decimal:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _add_amounts(totals: dict[str, Amounts], amounts: Mapping[str, Any] | None) -> None:
    for currency, pair in (amounts or {}).items():
        if not isinstance(pair, Mapping):
            continue
        before = totals.get(str(currency), Amounts())
        totals[str(currency)] = replace(
            before,
            expected=before.expected + _money(pair.get("expected", 0)),
            invoiced=before.invoiced + _money(pair.get("invoiced", 0)),
        )


def summarise_days(results: Iterable[WindowResult], timezone: str, days: list[date]) -> list[DaySummary]:
    """One summary per day in ``days`` (oldest first; empty days included, so the chart has no gaps)."""
    zone = ZoneInfo(timezone)
    by_day: dict[date, list[WindowResult]] = defaultdict(list)
    for result in standing_verdicts(results):
        by_day[local_day(result.window_start, zone)].append(result)
    summaries = []
    for day in days:
        standing = by_day.get(day, [])
        amounts: dict[str, Amounts] = {}
        for result in standing:
            _add_amounts(amounts, result.amounts)
        summaries.append(
            DaySummary(
                day=day,
                windows=len(standing),
                failed_windows=sum(1 for r in standing if not r.ok),
                orders=sum(r.expected for r in standing),
                invoiced=sum(r.matched + r.mismatched for r in standing),
                missing=sum(r.missing for r in standing),
                duplicates=sum(r.duplicates for r in standing),
                mismatched=sum(r.mismatched for r in standing),
                quarantined=sum(r.quarantined for r in standing),
                amounts=dict(sorted(amounts.items())),
            )
        )
    return summaries


def recent_days(
    store: StateStore,
    tenant_id: str,
    timezone: str,
    now: datetime,
    *,
    days: int = DEFAULT_DAYS,
    stream: str = ORDERS_STREAM,
) -> list[DaySummary]:
    """The last ``days`` local days up to today, oldest first."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    wanted = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    since = datetime.combine(wanted[0], datetime.min.time(), tzinfo=zone) - timedelta(days=1)
    return summarise_days(load_window_results(store, tenant_id, since, stream=stream), timezone, wanted)
