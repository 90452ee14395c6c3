"""Fixtures shared by the whole suite: service URLs and running simulators.

PostgreSQL and Redis tests run for real against the machine's services. Locally, when a service is not
reachable, those tests skip with the reason; under ``CI=true`` they fail instead, so a green CI always
means they ran.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

# the suite's state stores are SQLite files unless a test says otherwise: opt in, like a one-machine
# deployment (tests/state/test_state_connection.py checks the refusal without it)
os.environ.setdefault("JETSHOP_HOGIA_ALLOW_SQLITE_STATE", "1")

POSTGRES_URL = os.environ.get("SYNC_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SYNC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _require_service(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    reason = f"{name} is not reachable at {host}:{port}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true this test must run, not skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the machine's PostgreSQL test database."""
    _require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the machine's Redis (database 15, flushed by the tests that use it)."""
    _require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture
def free_tcp_port() -> int:
    """A free loopback port."""
    from jetshop_hogia_simulators.common.server import free_port

    return free_port()


if TYPE_CHECKING:
    from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
    from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


@pytest.fixture(scope="session")
def _hogia_sim_session() -> Iterator[HogiaSimHandle]:
    """One Hogia simulator (seed 42, default 25/5 s rate limit) per test session (per xdist worker)."""
    from jetshop_hogia_simulators.common.server import running
    from jetshop_hogia_simulators.hogia import create_app
    from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle

    app = create_app(seed=42)
    with running(app) as server:
        yield HogiaSimHandle(server.url, app)


@pytest.fixture
def hogia_sim(_hogia_sim_session: HogiaSimHandle) -> HogiaSimHandle:
    """The running Hogia simulator, reset to its seeded state: ``.url``, ``.app``, ``.simulator``,
    ``.admin(method, path, json=None)``, ``.api(method, resource, …)``, ``.companies`` / ``.company``
    (``organisation_id``, ``client_id``, ``client_secret``). See jetshop_hogia_simulators.hogia.testing."""
    _hogia_sim_session.reset()
    return _hogia_sim_session


@pytest.fixture(scope="session")
def _jetshop_sim_session() -> Iterator[JetshopSimHandle]:
    """One Jetshop simulator (seed 42, clock started at TEST_START) per test session (per xdist worker)."""
    from jetshop_hogia_simulators.common.server import running
    from jetshop_hogia_simulators.jetshop import create_app
    from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle

    app = create_app(seed=42, start=TEST_START)
    with running(app) as server:
        yield JetshopSimHandle(app, server.url)


@pytest.fixture
def jetshop_sim(_jetshop_sim_session: JetshopSimHandle) -> JetshopSimHandle:
    """The session's Jetshop simulator reset to its seeded state: ``.url``, ``.endpoint``, ``.app``,
    ``.simulator``, ``.admin(method, path, json)``, ``.credentials(shop)``, ``.post``/``.call``."""
    _jetshop_sim_session.reset()
    return _jetshop_sim_session


# --- Airflow isolation (tenant DAG tests) -------------------------------------------------------------
# Airflow reads AIRFLOW_HOME and its config once, at first import, so the isolated home must be in place
# before anything imports airflow. That is this module's import, not pytest_configure: pytest imports the
# conftest files of the folders named on its command line (``pytest tests/ops``) before it calls any
# pytest_configure, and those conftests may import airflow — settings.DAGS_FOLDER then pointed at
# ~/airflow/dags and dag.test() found no DAG ("the dag is not serialized"). Each xdist worker
# (``PYTEST_XDIST_WORKER``, set before the worker imports this file) gets its own home and SQLite
# metadata DB; tests never touch a developer's ~/airflow.
def _isolated_airflow_home() -> str:
    import tempfile
    from pathlib import Path

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    home = tempfile.mkdtemp(prefix=f"airflow-home-{worker}-")
    os.environ["AIRFLOW_HOME"] = home
    os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home}/airflow.db"
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
    return home


_AIRFLOW_TEST_HOME: str | None = _isolated_airflow_home()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove this worker's Airflow home."""
    import shutil

    if _AIRFLOW_TEST_HOME:
        shutil.rmtree(_AIRFLOW_TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db() -> str:
    """A migrated metadata DB in this worker's throw-away AIRFLOW_HOME (about 5 s, once per worker)."""
    from airflow.utils.db import initdb

    initdb()
    return os.environ["AIRFLOW_HOME"]
