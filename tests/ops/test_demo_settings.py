"""The demo's settings: loopback API, the tenants' time zone, SQLite that waits, a full first screen."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jetshop_hogia_simulators.demo import catch_up, metadata_db
from jetshop_hogia_simulators.demo.environment import demo_environment


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr("jetshop_hogia_simulators.demo.environment.SECRETS_FILE", tmp_path / "secrets.json")
    monkeypatch.setattr("jetshop_hogia_simulators.demo.environment.DEMO_DIR", tmp_path)
    return demo_environment()


def test_the_api_server_listens_on_loopback_and_naive_dates_are_stockholm(
    environment: dict[str, str],
) -> None:
    assert environment["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert environment["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://127.0.0.1:")
    assert environment["AIRFLOW__CORE__DEFAULT_TIMEZONE"] == "Europe/Stockholm"
    assert "AIRFLOW_CONN_AIRFLOW_API" in environment  # runs set their note through the REST API


def test_the_metadata_db_waits_for_locks_and_runs_in_wal(environment: dict[str, str], tmp_path: Path) -> None:
    module, _, name = environment["AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS"].rpartition(".")
    connect_args = getattr(importlib.import_module(module), name)
    database = tmp_path / "airflow.db"
    sqlite3.connect(database).close()

    assert connect_args["timeout"] >= 30
    assert metadata_db.enable_wal(database) == "wal"
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # it persists


def test_the_initial_catch_up_window_holds_every_order_the_running_simulator_seeded() -> None:
    """The window follows the simulator's own anchor (its start), not ``seed.DEFAULT_START``."""
    from jetshop_hogia_simulators.jetshop.simulator import JetshopSimulator

    before = datetime.now(UTC)
    simulator = JetshopSimulator(seed=42)  # as `make demo` starts it: no ``start``
    after = datetime.now(UTC)
    window = catch_up.history_window(before, after)
    start = datetime.fromisoformat(window["window_start"])
    end = datetime.fromisoformat(window["window_end"])

    changed = [order.changed_date for orders in simulator.world.orders.values() for order in orders]
    assert changed
    assert all(start <= moment < end for moment in changed)
    assert end - start < timedelta(days=catch_up.HISTORY_DAYS, minutes=5)  # no more than the history
