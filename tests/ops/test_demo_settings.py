"""The demo's settings: loopback API, the tenants' time zone, SQLite that waits, a full first screen."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jetshop_hogia_simulators.demo import catch_up, metadata_db
from jetshop_hogia_simulators.demo.environment import demo_environment
from jetshop_hogia_simulators.seed import generate_world


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


def test_the_initial_catch_up_window_holds_every_seeded_order() -> None:
    window = catch_up.history_window()
    zone = ZoneInfo("Europe/Stockholm")
    start = datetime.fromisoformat(window["window_start"]).replace(tzinfo=zone)
    end = datetime.fromisoformat(window["window_end"]).replace(tzinfo=zone)
    world = generate_world(42)

    changed = [order.changed_date for orders in world.orders.values() for order in orders]
    assert changed
    assert all(start <= moment < end for moment in changed)
