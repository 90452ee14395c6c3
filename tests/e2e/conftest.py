"""Fixtures of the end-to-end tests: the demo tenant's DAG under ``dag.test()`` against the simulators.

The tenant file is the real demo tenant (``include/tenants/alpha_shop_led.yaml``), copied into a folder
of its own; its Airflow connections are ``AIRFLOW_CONN_<ID>`` JSON variables pointing at the running
simulators, and the state store is the ``sync_state`` connection — a SQLite file, or a PostgreSQL schema
made for the test and dropped afterwards.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
from jetshop_hogia_provider.transport.retry import RetryPolicy
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

REPO = Path(__file__).resolve().parents[2]
DEMO_TENANT = REPO / "include" / "tenants" / "alpha_shop_led.yaml"


@pytest.fixture
def demo_tenant_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> Path:
    """The demo tenant alone in a tenant folder, wired to the simulators; returns the run storage dir."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(DEMO_TENANT, folder / DEMO_TENANT.name)
    monkeypatch.setenv(TENANTS_DIR_ENV, str(folder))
    runs = tmp_path / "runs"
    monkeypatch.setenv(RUN_STORAGE_ENV, runs.as_uri())
    user, password = jetshop_sim.credentials("alpha")
    jetshop = {
        "conn_type": "jetshop",
        "host": jetshop_sim.endpoint,
        "login": user,
        "password": password,
        "extra": {"shop_id": "alpha", "cultures": "sv-SE", "requests_per_second": 1000},
    }
    company = hogia_sim.company
    hogia = {
        "conn_type": "hogia_smart",
        "host": hogia_sim.url,
        "login": company.client_id,
        "password": company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000},
    }
    monkeypatch.setenv("AIRFLOW_CONN_JETSHOP_ALPHA", json.dumps(jetshop))
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_ALPHA", json.dumps(hogia))
    monkeypatch.delenv("JETSHOP_HOGIA_STATE_STORE_FACTORY", raising=False)
    hogia_sim.set_rate_limit(None)
    # A Hogia outage must fail a task in seconds, not after the production back-off (~8 s per call):
    # the hooks build ``RetryPolicy()`` inside the task, so its defaults are what the test changes.
    fast = dataclasses.replace(
        RetryPolicy(),
        max_attempts=2,
        initial_backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        total_budget_seconds=5,
    )
    defaults = tuple(getattr(fast, field.name) for field in dataclasses.fields(RetryPolicy))
    monkeypatch.setattr(RetryPolicy.__init__, "__defaults__", defaults)
    return runs


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def state_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The ``sync_state`` connection: SQLite, or a PostgreSQL schema of this test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.db'}"
        schema = None
    else:
        base = request.getfixturevalue("postgres_url")
        schema = f"orders_e2e_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    monkeypatch.setenv(
        "AIRFLOW_CONN_SYNC_STATE", json.dumps({"conn_type": "generic", "extra": {"sqlalchemy_url": url}})
    )
    yield url
    if schema is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
