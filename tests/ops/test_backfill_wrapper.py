"""The day-repair wrapper: clears only the day's failed runs, creates nothing else, and is repeatable."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from datetime import date

import pytest

from jetshop_hogia.operations.backfill import day_bounds, parse_runs, repair_day

DAY = date(2026, 11, 24)


class FakeAirflow:
    """Answers ``dags list-runs`` from a run table and records every other command."""

    def __init__(self, runs: list[dict[str, str]]) -> None:
        self.runs = runs
        self.commands: list[list[str]] = []

    def __call__(self, args: Sequence[str]) -> str:
        args = list(args)
        self.commands.append(args)
        if args[:2] == ["dags", "list-runs"]:
            state = args[args.index("--state") + 1] if "--state" in args else None
            rows = [run for run in self.runs if state is None or run["state"] == state]
            return "some log line\n" + json.dumps(rows)
        if args[:2] == ["tasks", "clear"]:
            for run in self.runs:
                if run["state"] == "failed":
                    run["state"] = "success"  # what the scheduler does once Hogia answers again
        return ""


def test_day_bounds_are_the_local_day_with_its_offset() -> None:
    assert day_bounds(DAY, "Europe/Stockholm") == (
        "2026-11-24T00:00:00+01:00",
        "2026-11-24T23:59:59.999999+01:00",
    )
    assert day_bounds(date(2026, 3, 29), "Europe/Stockholm")[1].endswith("+02:00")  # the DST day


def test_only_the_failed_runs_are_cleared_and_nothing_is_created() -> None:
    airflow = FakeAirflow(
        [
            {"run_id": "scheduled__a", "state": "failed", "logical_date": "2026-11-24T09:00:00+00:00"},
            {"run_id": "scheduled__b", "state": "success", "logical_date": "2026-11-24T09:05:00+00:00"},
            {"run_id": "scheduled__c", "state": "failed", "logical_date": "2026-11-24T09:10:00+00:00"},
        ]
    )
    lines: list[str] = []

    result = repair_day(airflow, "sync_acme", DAY, "Europe/Stockholm", wait_seconds=30, report=lines.append)

    assert result.cleared == ("scheduled__a", "scheduled__c")
    assert result.final_states == {"scheduled__a": "success", "scheduled__c": "success"}
    assert result.ok
    clears = [c for c in airflow.commands if c[:2] == ["tasks", "clear"]]
    assert clears == [
        [
            "tasks", "clear", "sync_acme", "--only-failed",
            "-s", "2026-11-24T00:00:00+01:00", "-e", "2026-11-24T23:59:59.999999+01:00", "--yes",
        ]
    ]  # fmt: skip
    assert not [c for c in airflow.commands if c[:2] in (["backfill", "create"], ["dags", "trigger"])]
    assert "re-running 2 failed runs" in lines[0]


def test_repeating_the_repair_is_harmless_and_whole_day_triggers_one_run() -> None:
    airflow = FakeAirflow([{"run_id": "scheduled__a", "state": "success", "logical_date": "x"}])

    first = repair_day(airflow, "sync_acme", DAY, "Europe/Stockholm", report=lambda _: None)
    whole = repair_day(airflow, "sync_acme", DAY, "Europe/Stockholm", whole_day=True, report=lambda _: None)

    assert first.cleared == ()
    assert first.ok
    assert not [c for c in airflow.commands if c[:2] == ["tasks", "clear"]]
    (trigger,) = [c for c in airflow.commands if c[:2] == ["dags", "trigger"]]
    assert whole.triggered is not None
    assert whole.triggered.startswith("repair_2026-11-24__")
    assert json.loads(trigger[trigger.index("--conf") + 1]) == {
        "window_start": "2026-11-24",
        "window_end": "2026-11-25",
    }


def test_list_runs_output_is_parsed_past_log_lines() -> None:
    runs = parse_runs('[info ] x [2026-12-01]\n[{"run_id": "r", "state": "failed", "logical_date": null}]\n')

    assert [(r.run_id, r.state, r.logical_date) for r in runs] == [("r", "failed", "")]
    assert parse_runs("no runs") == []


def test_a_command_sqlite_refused_as_locked_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import jetshop_hogia.__main__ as cli

    answers = [
        subprocess.CompletedProcess([], 1, "", "sqlite3.OperationalError: database is locked"),
        subprocess.CompletedProcess([], 0, "cleared", ""),
    ]
    calls: list[list[str]] = []

    def run(argv: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        calls.append(argv)
        return answers.pop(0)

    monkeypatch.setattr(cli.subprocess, "run", run)
    monkeypatch.setattr(cli.time, "sleep", lambda _: None)

    assert cli.airflow_cli(["tasks", "clear", "sync_acme"]) == "cleared"
    assert len(calls) == 2
    monkeypatch.setattr(
        cli.subprocess, "run", lambda *_, **__: subprocess.CompletedProcess([], 1, "", "DAG not found")
    )
    with pytest.raises(SystemExit, match="DAG not found"):
        cli.airflow_cli(["tasks", "clear", "sync_acme"])
