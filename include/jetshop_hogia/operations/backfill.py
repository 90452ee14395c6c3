"""Re-run the failed runs of one local day of a tenant: the repair command an operator types.

Why not ``airflow backfill create`` for a whole day: with a 5-minute schedule it creates a run for every
window of the day that never ran — 288 a day, including the hours before the deployment existed — and
runs them one after another while the scheduler runs the live schedule; on SQLite that ended in
``database is locked``, and an interrupted backfill then blocked the next attempt
(``AlreadyRunningBackfill``). What a day after an outage actually needs is smaller:

- its *failed* runs re-run (same run ids, so the grid turns green): ``airflow tasks clear --only-failed``
  over the day's logical dates — clearing creates nothing, so repeating an interrupted repair is safe;
- windows that never ran need nothing: the next scheduled run reads from the watermark and sends the
  unsent orders of the look-back (``streams.orders.windows``);
- a day older than the look-back, or a deliberate re-processing: ``--whole-day`` triggers *one* manual
  run whose window is the whole local day (``window_start``/``window_end``); the order ledger makes
  re-sending harmless (nothing is invoiced twice).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

AirflowCli = Callable[[Sequence[str]], str]
"""Runs ``airflow <args>`` and returns its standard output (raises on a non-zero exit)."""

DONE_STATES = frozenset({"success", "failed"})


@dataclass(frozen=True)
class DayRun:
    """One DAG run of the day as ``airflow dags list-runs`` shows it."""

    run_id: str
    state: str
    logical_date: str


@dataclass(frozen=True)
class RepairResult:
    """What the repair did and how the runs ended (when it waited)."""

    cleared: tuple[str, ...]
    triggered: str | None
    final_states: dict[str, str]

    @property
    def ok(self) -> bool:
        """Every run the repair touched ended successfully (True when there was nothing to do)."""
        return all(state == "success" for state in self.final_states.values())


def day_bounds(day: date, timezone: str) -> tuple[str, str]:
    """The local day as logical-date bounds for the CLI: start, and the last microsecond before midnight."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start.isoformat(), (end - timedelta(microseconds=1)).isoformat()


def parse_runs(output: str) -> list[DayRun]:
    """The JSON list ``airflow dags list-runs -o json`` prints (tolerating log lines before it)."""
    decoder = json.JSONDecoder()
    position = output.find("[")
    while position >= 0:  # log lines may hold brackets too ("[info ]", "[2026-…]"): take the JSON list
        try:
            rows, _ = decoder.raw_decode(output, position)
        except ValueError:
            rows = None
        if isinstance(rows, list) and all(isinstance(row, dict) and "run_id" in row for row in rows):
            return [DayRun(str(r["run_id"]), str(r["state"]), str(r.get("logical_date") or "")) for r in rows]
        position = output.find("[", position + 1)
    return []


def day_runs(
    cli: AirflowCli, dag_id: str, day: date, timezone: str, state: str | None = None
) -> list[DayRun]:
    """The runs of ``dag_id`` whose logical date lies in the local ``day`` (optionally in one state)."""
    start, end = day_bounds(day, timezone)
    args = ["dags", "list-runs", dag_id, "-o", "json", "-s", start, "-e", end]
    if state:
        args += ["--state", state]
    return parse_runs(cli(args))


def repair_day(
    cli: AirflowCli,
    dag_id: str,
    day: date,
    timezone: str,
    *,
    whole_day: bool = False,
    wait_seconds: float = 0,
    report: Callable[[str], None] = print,
) -> RepairResult:
    """Clear the day's failed runs (and with ``whole_day`` trigger one run over the day); optionally wait."""
    failed = [run.run_id for run in day_runs(cli, dag_id, day, timezone, state="failed")]
    start, end = day_bounds(day, timezone)
    if failed:
        report(f"{dag_id} {day}: re-running {len(failed)} failed runs: {', '.join(failed[:10])}")
        cli(["tasks", "clear", dag_id, "--only-failed", "-s", start, "-e", end, "--yes"])
    else:
        report(
            f"{dag_id} {day}: no failed runs. Windows that never ran are caught up by the next scheduled "
            "run (within the tenant's look-back); use --whole-day to re-process the day in one run."
        )
    triggered = _trigger_whole_day(cli, dag_id, day, report) if whole_day else None
    watched = [*failed, *([triggered] if triggered else [])]
    states = _wait(cli, dag_id, day, timezone, watched, wait_seconds) if wait_seconds else {}
    for run_id, state in states.items():
        report(f"  {run_id}: {state}")
    return RepairResult(tuple(failed), triggered, states)


def _trigger_whole_day(cli: AirflowCli, dag_id: str, day: date, report: Callable[[str], None]) -> str:
    """One manual run over the local day; a fresh run id each time, so a retry never collides."""
    run_id = f"repair_{day.isoformat()}__{datetime.now(UTC):%Y%m%dT%H%M%S}"
    conf = {"window_start": day.isoformat(), "window_end": (day + timedelta(days=1)).isoformat()}
    cli(["dags", "trigger", dag_id, "--run-id", run_id, "--conf", json.dumps(conf)])
    report(f"{dag_id} {day}: triggered {run_id} over the whole day")
    return run_id


def _wait(
    cli: AirflowCli, dag_id: str, day: date, timezone: str, run_ids: list[str], seconds: float
) -> dict[str, str]:
    """Poll until every run in ``run_ids`` is done (or time is up); their last known states."""
    deadline = time.monotonic() + seconds
    states: dict[str, str] = dict.fromkeys(run_ids, "unknown")
    time.sleep(2)  # let the scheduler pick the cleared runs up before the first look
    while run_ids:
        listed = {run.run_id: run.state for run in day_runs(cli, dag_id, day, timezone)}
        if not all(rid in listed for rid in run_ids):  # a manual run has no logical date: list them all
            listed |= {
                run.run_id: run.state for run in parse_runs(cli(["dags", "list-runs", dag_id, "-o", "json"]))
            }
        states = {rid: listed.get(rid, "unknown") for rid in run_ids}
        if all(state in DONE_STATES for state in states.values()) or time.monotonic() > deadline:
            break
        time.sleep(3)
    return states
