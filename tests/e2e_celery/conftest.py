"""The ``celery_cluster`` fixture: api-server, scheduler, dag-processor and one Celery worker, wired to the
simulators, with the demo tenant on a daily schedule whose first scheduled run lies a year ahead (so the
only runs are the ones a test creates, e.g. with ``airflow backfill create``).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from celery_cluster import BIN, BROKER_DB, DAG_ID, SERVICES, TASK_RETRIES, Cluster, Databases

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.orchestration.factory import TASK_RETRIES_ENV
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
from jetshop_hogia_simulators.common.server import free_port
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

REPO = Path(__file__).resolve().parents[2]
DEMO_TENANT = REPO / "include" / "tenants" / "alpha_shop_led.yaml"
HEARTBEAT_TIMEOUT_SECONDS = 12
"""How long a task may go without heartbeat before the scheduler fails it (300 s in production):
the worker is SIGKILLed, so nobody reports the task's end; the scheduler finds out by the silence."""


def _tenant_folder(tmp_path: Path) -> Path:
    """The demo tenant alone, daily, starting a year from now: no scheduled run during the test."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    start = date.today() + timedelta(days=365)
    tenant = DEMO_TENANT.read_text(encoding="utf-8").replace(
        'schedule: "*/5 * * * *"', f'schedule: "0 0 * * *"\nstart_date: {start.isoformat()}'
    )
    assert 'schedule: "0 0 * * *"' in tenant, "the demo tenant's schedule line changed; update this test"
    tenant = tenant.replace("streams: [orders, products_to_hogia]", "streams: [orders]")  # the order stream
    # no alert channel: without one the daily digest DAG does not exist, so only the tenant's tasks run
    tenant = tenant.split("\noperations:", 1)[0] + "\n"
    assert "streams: [orders]" in tenant, "the demo tenant's streams line changed; update this test"
    (folder / DEMO_TENANT.name).write_text(tenant, encoding="utf-8")
    return folder


def _connections(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle, state_url: str) -> dict[str, str]:
    """``AIRFLOW_CONN_*`` variables: the tenant's two APIs (the simulators) and a PostgreSQL state store."""
    user, password = jetshop_sim.credentials("alpha")
    company = hogia_sim.company
    connections = {
        "jetshop_alpha": {
            "conn_type": "jetshop",
            "host": jetshop_sim.endpoint,
            "login": user,
            "password": password,
            "extra": {"shop_id": "alpha", "cultures": "sv-SE", "requests_per_second": 1000},
        },
        "hogia_alpha": {
            "conn_type": "hogia_smart",
            "host": hogia_sim.url,
            "login": company.client_id,
            "password": company.client_secret,
            "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000},
        },
        # always a real PostgreSQL database, never the SQLite fallback
        "sync_state": {"conn_type": "generic", "extra": {"sqlalchemy_url": state_url}},
    }
    return {f"AIRFLOW_CONN_{cid.upper()}": json.dumps(conn) for cid, conn in connections.items()}


def _environment(
    tmp_path: Path, home: Path, dbs: Databases, broker_url: str, api_port: int
) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JETSHOP_HOGIA_"))}
    return {
        **inherited,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": dbs.url(dbs.metadata_name),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL": broker_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + dbs.url(dbs.metadata_name),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),  # one secret for every component
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT_SECONDS),
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "2",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        TENANTS_DIR_ENV: str(_tenant_folder(tmp_path)),
        RUN_STORAGE_ENV: (tmp_path / "runs").as_uri(),
        TASK_RETRIES_ENV: str(TASK_RETRIES),
    }


@pytest.fixture
def celery_cluster(
    tmp_path: Path,
    postgres_url: str,
    redis_url: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> Iterator[Cluster]:
    """A running distributed Airflow with one Celery worker (``worker1``); everything is torn down after."""
    home = tmp_path / "airflow"
    home.mkdir()
    dbs = Databases(postgres_url)
    broker_url = redis_url.rsplit("/", 1)[0] + f"/{BROKER_DB}"
    api_port = free_port()
    env = _environment(tmp_path, home, dbs, broker_url, api_port)
    env.update(_connections(jetshop_sim, hogia_sim, dbs.url(dbs.state_name)))
    hogia_sim.set_rate_limit(None)
    dbs.create()
    cluster = Cluster(home, env, dbs, broker_url)
    try:
        cluster.flush_broker()
        cluster.cli("db", "migrate")
        for service in SERVICES:
            cluster.start(service, service)
        cluster.start_worker("worker1", wait=False)
        cluster.python("-m", "jetshop_hogia.orchestration.pools")  # while the components start
        health = f"http://127.0.0.1:{api_port}/api/v2/monitor/health"
        cluster.wait("the api-server", lambda: requests.get(health, timeout=2).ok, 120)
        cluster.wait_worker("worker1")
        cluster.wait(
            "the dag-processor to serialize the tenant DAG",
            lambda: cluster.query("SELECT 1 FROM dag WHERE dag_id = :dag AND NOT is_paused", dag=DAG_ID),
            120,
        )
        yield cluster
    finally:
        cluster.stop()
        cluster.flush_broker()
        dbs.drop()
    assert cluster.leftovers() == [], "processes of the test cluster survived teardown"
    assert dbs.exist() == [], "the test databases were not dropped"
