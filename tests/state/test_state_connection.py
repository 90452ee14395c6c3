"""The Airflow glue: connection ``sync_state`` -> SQLAlchemy URL; no silent SQLite without the opt-in."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from jetshop_hogia.state import StateStore
from jetshop_hogia.state.connection import (
    ALLOW_SQLITE_ENV,
    StateStoreNotConfiguredError,
    checked_backend,
    default_sqlite_url,
    state_store_url,
    url_from_connection,
)


def _conn(conn_type: str, extra: dict[str, Any] | None = None, **fields: Any) -> SimpleNamespace:
    values = {
        "conn_id": "sync_state",
        "host": None,
        "port": None,
        "login": None,
        "password": None,
        "schema": None,
    }
    return SimpleNamespace(conn_type=conn_type, extra_dejson=extra or {}, **{**values, **fields})


def test_explicit_sqlalchemy_url_wins() -> None:
    url = "postgresql+psycopg2://u@db/sync"
    assert url_from_connection(_conn("generic", {"sqlalchemy_url": url}, host="ignored")) == url


def test_postgres_connection_with_search_path_and_awkward_password() -> None:
    conn = _conn(
        "postgres",
        {"search_path": "sync_state"},
        host="db",
        port=5433,
        login="airflow",
        password="p@ss/w:rd",
        schema="warehouse",
    )
    url = make_url(url_from_connection(conn))
    assert url.drivername == "postgresql+psycopg2"
    assert (url.host, url.port, url.username, url.password, url.database) == (
        "db",
        5433,
        "airflow",
        "p@ss/w:rd",
        "warehouse",
    )
    assert url.query == {"options": "-csearch_path=sync_state"}


def test_sqlite_connection_uses_host_as_path(tmp_path: Path) -> None:
    url = url_from_connection(_conn("sqlite", host=str(tmp_path / "state.db")))
    assert url == f"sqlite:///{tmp_path / 'state.db'}"
    with pytest.raises(ValueError, match="file path"):
        url_from_connection(_conn("sqlite"))


def test_unsupported_connection_type_is_refused() -> None:
    with pytest.raises(ValueError, match="not usable as state store"):
        url_from_connection(_conn("http", host="example"))


def test_default_is_sqlite_under_airflow_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow-home"))
    assert default_sqlite_url() == f"sqlite:///{tmp_path / 'airflow-home' / 'jetshop_hogia_state.db'}"
    assert default_sqlite_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_logged() -> Iterator[list[str]]:
    """Warnings of the connection module, read straight off its logger (Airflow rewires the root)."""
    logger = logging.getLogger("jetshop_hogia.state.connection")
    handler = _Collect()
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def test_state_store_url_through_airflow(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, warnings_logged: list[str]
) -> None:
    """Real Airflow lookup, SQLite opted in: a missing connection falls back, a defined one is used."""
    pytest.importorskip("airflow.sdk")
    monkeypatch.setenv(ALLOW_SQLITE_ENV, "1")
    monkeypatch.delenv("AIRFLOW_CONN_STATE_TEST_MISSING", raising=False)
    fallback = state_store_url("state_test_missing", default_path=tmp_path / "fallback.db")
    assert fallback == f"sqlite:///{tmp_path / 'fallback.db'}"
    assert any("single-worker only" in message for message in warnings_logged)
    with StateStore(fallback) as store:  # the fallback is directly usable
        store.migrate()
        assert store.is_up_to_date()

    definition = {"conn_type": "sqlite", "host": str(tmp_path / "configured.db")}
    monkeypatch.setenv("AIRFLOW_CONN_STATE_TEST_DEFINED", json.dumps(definition))
    assert state_store_url("state_test_defined") == f"sqlite:///{tmp_path / 'configured.db'}"


def test_a_missing_connection_fails_fast_naming_it_and_how_to_create_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the opt-in there is no silent SQLite ledger: the error names the connection and the CLI."""
    pytest.importorskip("airflow.sdk")
    monkeypatch.delenv(ALLOW_SQLITE_ENV, raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_STATE_TEST_MISSING", raising=False)
    with pytest.raises(StateStoreNotConfiguredError) as raised:
        state_store_url("state_test_missing", default_path=tmp_path / "never.db")
    message = str(raised.value)
    assert "'state_test_missing' does not exist" in message
    assert "airflow connections add state_test_missing --conn-type postgres" in message
    assert ALLOW_SQLITE_ENV in message
    assert not (tmp_path / "never.db").exists()


def test_a_sqlite_connection_needs_the_opt_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("airflow.sdk")
    monkeypatch.delenv(ALLOW_SQLITE_ENV, raising=False)
    definition = {"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{tmp_path / 's.db'}"}}
    monkeypatch.setenv("AIRFLOW_CONN_STATE_TEST_SQLITE", json.dumps(definition))
    with pytest.raises(StateStoreNotConfiguredError, match=r"'state_test_sqlite' points at SQLite"):
        state_store_url("state_test_sqlite")


@pytest.mark.parametrize("opted_in", ["1", "true", ""])
def test_postgres_needs_no_opt_in_and_warns_nothing(
    monkeypatch: pytest.MonkeyPatch, warnings_logged: list[str], opted_in: str
) -> None:
    monkeypatch.setenv(ALLOW_SQLITE_ENV, opted_in)
    url = "postgresql+psycopg2://sync@db/integration"
    assert checked_backend(url) == url
    assert warnings_logged == []


def test_the_state_package_does_not_import_airflow() -> None:
    code = "import sys, jetshop_hogia.state, jetshop_hogia.state.connection; print('airflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
