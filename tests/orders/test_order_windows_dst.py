"""Property tests of the window logic on DST change days (Europe/Stockholm, 23- and 25-hour days).

The windows come from the tenant DAG's own timetable (Airflow's ``CronDataIntervalTimetable``); what the
runs read is those windows plus the watermark catch-up of ``fetch_shop``. Every instant must be read by
exactly one run — including the stretch Airflow 3.3 leaves without a run for hour-restricted crons on the
spring change day.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.streams.orders.windows import (
    DEFAULT_OVERLAP,
    catch_up_from,
    fetch_range,
    local_day_window,
    window_label,
)

# --- DST change days -------------------------------------------------------------------------------


def _plain(moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp(), UTC)


def _schedule_windows(cron: str, timezone: str, first: datetime, count: int) -> list[RunWindow]:
    """Consecutive data intervals of the tenant DAG's own timetable (what scheduled runs own)."""
    import pendulum
    from airflow.timetables.base import TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable

    timetable = CronDataIntervalTimetable(cron, pendulum.timezone(timezone))
    restriction = TimeRestriction(earliest=pendulum.instance(first), latest=None, catchup=True)
    windows: list[RunWindow] = []
    last = None
    for _ in range(count):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        assert info is not None
        last = info.data_interval
        windows.append(RunWindow(_plain(last.start), _plain(last.end)))
    return windows


def _read_ranges(windows: list[RunWindow]) -> list[tuple[datetime, datetime]]:
    """What the runs read, without the overlap: each run catches up from the watermark its
    predecessors left (``fetch_shop`` advances it to the window end)."""
    ranges, fetched_until = [], None
    for window in windows:
        ranges.append((catch_up_from(window, fetched_until), window.end))
        fetched_until = window.end if fetched_until is None else max(fetched_until, window.end)
    return ranges


CRONS = ["*/15 * * * *", "0 * * * *", "0 0 * * *", "30 2 * * *", "*/10 1-3 * * *"]


@settings(max_examples=25, deadline=None)
@given(
    cron=st.sampled_from(CRONS),
    change_day=st.sampled_from([date(2026, 3, 29), date(2026, 10, 25)]),
    offset_hours=st.integers(-30, 2),
    probes=st.lists(st.integers(0, 10**15), min_size=1, max_size=20),
)
def test_runs_read_every_instant_of_a_dst_change_day_exactly_once(
    cron: str, change_day: date, offset_hours: int, probes: list[int]
) -> None:
    first = datetime(change_day.year, change_day.month, change_day.day, tzinfo=UTC) + timedelta(
        hours=offset_hours
    )
    count = {"*/15 * * * *": 150, "0 * * * *": 40, "*/10 1-3 * * *": 60}.get(cron, 5)
    windows = _schedule_windows(cron, "Europe/Stockholm", first, count)
    ranges = _read_ranges(windows)

    for (_, before_end), (after_start, _) in itertools.pairwise(ranges):
        assert before_end == after_start  # touching: no instant unread, none read by two runs
    span_start, span_end = ranges[0][0], ranges[-1][1]
    for probe in probes:
        moment = span_start + timedelta(
            microseconds=probe % ((span_end - span_start) // timedelta(microseconds=1))
        )
        assert sum(start <= moment < end for start, end in ranges) == 1


def test_airflow_leaves_a_gap_on_the_spring_dst_day_which_the_catch_up_reads() -> None:
    windows = _schedule_windows(
        "*/10 1-3 * * *", "Europe/Stockholm", datetime(2026, 3, 28, 20, tzinfo=UTC), 20
    )
    gaps = [(a.end, b.start) for a, b in itertools.pairwise(windows) if a.end != b.start]

    assert gaps == [(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 50, tzinfo=UTC))]
    after_gap = next(w for w in windows if w.start == gaps[0][1])
    assert catch_up_from(after_gap, gaps[0][0]) == gaps[0][0]


def test_a_dst_change_day_is_23_or_25_hours_and_labelled_in_local_time() -> None:
    spring = local_day_window(date(2026, 3, 29), "Europe/Stockholm")
    autumn = local_day_window(date(2026, 10, 25), "Europe/Stockholm")

    assert (spring.duration, autumn.duration) == (timedelta(hours=23), timedelta(hours=25))
    assert window_label(autumn, "Europe/Stockholm") == "2026-10-25 00:00–24:00 (Europe/Stockholm)"
    daily = _schedule_windows("0 0 * * *", "Europe/Stockholm", datetime(2026, 10, 24, tzinfo=UTC), 2)
    assert daily[0] == autumn  # the daily schedule's window for that day is exactly the local day
    assert fetch_range(autumn) == (autumn.start - DEFAULT_OVERLAP, autumn.end)
