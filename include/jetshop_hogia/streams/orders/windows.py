"""Which orders a run owns, and what it asks Jetshop for: pure functions over aware UTC datetimes.

A run owns the half-open window ``[start, end)`` (:class:`~jetshop_hogia.streams.RunWindow`); an order
belongs to the window holding the Jetshop ``ChangedDate`` of its latest sighting in a trigger status (the
ledger's ``order_changed_at``). Consecutive windows touch, so each sighting belongs to exactly one run,
including on the 23- and 25-hour days of a DST change (windows are instants, not wall-clock times).

Fetching asks for ``[start - overlap, end)``: a change that Jetshop stamps with a time inside the previous
window but commits only after that run has read the change list would otherwise fall between two runs and
be lost. The overlap makes the next run see it; the order ledger makes the second sighting of an order
that was already handled harmless. When the shop's watermark shows intervals no run was made for at all,
the run reads from the watermark instead (:func:`catch_up_from`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jetshop_hogia.kernel.stream import RunWindow

DEFAULT_OVERLAP = timedelta(minutes=2)
"""How late a change may become visible and still be caught by the next run. Jetshop commits an order
within seconds; two minutes covers that with a wide margin at the cost of re-reading a few headers."""


MAX_CATCH_UP = timedelta(days=7)
"""How far back a run reaches to cover windows no run was made for; older gaps need a backfill."""


def catch_up_from(
    window: RunWindow, fetched_until: datetime | None, max_catch_up: timedelta = MAX_CATCH_UP
) -> datetime:
    """Where the run must start reading so that no stretch of time stays unread.

    ``fetched_until`` is the shop's watermark: every change before it was read by some run. Airflow makes
    no run for intervals it skips — a DAG with ``catchup=False`` after a pause or an outage, or a cron
    whose hours vanish on the spring DST day (Airflow 3.3 leaves a gap there) — so a run that finds the
    watermark behind its window starts at the watermark instead (at most ``max_catch_up`` back).
    """
    if fetched_until is None or fetched_until >= window.start:
        return window.start
    return max(fetched_until, window.start - max_catch_up)


def fetch_range(
    window: RunWindow,
    overlap: timedelta = DEFAULT_OVERLAP,
    fetched_until: datetime | None = None,
    max_catch_up: timedelta = MAX_CATCH_UP,
) -> tuple[datetime, datetime]:
    """The ``[from, to)`` bounds of the change-list request for ``window`` (overlap and catch-up included)."""
    if overlap < timedelta(0):
        raise ValueError(f"overlap must not be negative, got {overlap}")
    return catch_up_from(window, fetched_until, max_catch_up) - overlap, window.end


def healing_range(window: RunWindow, max_catch_up: timedelta = MAX_CATCH_UP) -> tuple[datetime, datetime]:
    """``[from, to)`` of earlier windows whose unsent orders this run also sends (self-healing).

    A run that failed after its fetch (Hogia down, a crash) leaves its orders recorded but unsent, and
    the watermark already past them — the change list will not show them again. So every run also takes
    the ledger's unsent orders (``seen``/``eligible``) changed in the ``max_catch_up`` before its window;
    the ledger's push claim makes the overlap with a still-running earlier run harmless. Older orders
    need a deliberate backfill (``make backfill``).
    """
    return window.start - max(max_catch_up, timedelta(0)), window.start


def owns(window: RunWindow, changed_at: datetime | None) -> bool:
    """Whether an order last seen (in a trigger status) at ``changed_at`` belongs to ``window``."""
    return changed_at is not None and changed_at in window


def sighting_time(
    status_id: int,
    current_changed_at: datetime,
    listed_changed_at: datetime | None,
    trigger_statuses: frozenset[int],
) -> datetime | None:
    """The ``order_changed_at`` to record for an order just read with ``Order_Get``.

    In a trigger status now: its current change time. Otherwise, if it came from the change list (it was in
    a trigger status a moment ago): the listed time, so a new order is never recorded without a window. An
    order read only because the ledger owed it (its status has moved on since) keeps its recorded window:
    None leaves ``order_changed_at`` as it is.
    """
    if status_id in trigger_statuses:
        return current_changed_at
    return listed_changed_at


def local_day_window(day: date, timezone: str) -> RunWindow:
    """Local calendar day ``day`` in ``timezone`` as a window: 23, 24 or 25 real hours."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return RunWindow(start, end)


def window_label(window: RunWindow, timezone: str) -> str:
    """``2026-11-26 00:00–24:00 (Europe/Stockholm)``: how an operator reads a window in a log line."""
    start, end = window.local(timezone)
    if end.date() == start.date():
        end_text = f"{end:%H:%M}"
    elif end.date() == start.date() + timedelta(days=1) and end.time() == time(0):
        end_text = "24:00"
    else:
        end_text = f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end_text} ({timezone})"


def date_span(days: list[date]) -> tuple[date, date] | None:
    """First and last of ``days`` (the invoice dates reconciliation lists), None when there are none."""
    return (min(days), max(days)) if days else None
