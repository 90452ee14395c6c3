"""Catalog streams through a real scheduler: a Hogia stock and price change reaches the Jetshop simulator.

Issue 9's "end to end per flow … through the tenant DAG (dag.test() and one scheduler run)": the
``dag.test()`` half is tests/catalog/test_catalog_dags.py; this is the scheduler half. Airflow
(api-server, scheduler, dag-processor, LocalExecutor, PostgreSQL metadata) in a throw-away AIRFLOW_HOME,
the erp_led demo tenant alone, on a one-minute schedule and with only its ``prices`` and ``stock`` streams
(so a run takes seconds). The change is made in the Hogia simulator before Airflow starts; the first
scheduled run the scheduler executes must carry it to the shop, and reconcile green.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from test_backfill_cli import BIN, COMPONENTS, REPO, Airflow
from test_backfill_cli import metadata_url as metadata_url  # the fixture: a fresh PostgreSQL database

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.orchestration.factory import TASK_RETRIES_ENV
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
from jetshop_hogia.state.connection import ALLOW_SQLITE_ENV
from jetshop_hogia_simulators.common.server import free_port
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.postgres, pytest.mark.timeout(420)]

TENANT_FILE = REPO / "include" / "tenants" / "beta_erp_led.yaml"
DAG_ID = "sync_beta_erp_led"
STREAMS = "streams: [orders, order_status, products_to_jetshop, prices, stock]"


def _environment(
    tmp_path: Path, home: Path, metadata: str, jetshop_url: str, hogia_url: str
) -> dict[str, str]:
    """Airflow settings, the tenant folder and the demo connections (pointing at the simulators)."""
    import json

    from jetshop_hogia_simulators.demo.connections import as_environment, demo_connections
    from jetshop_hogia_simulators.seed import generate_world

    connections = demo_connections(generate_world(42), jetshop_url=jetshop_url, hogia_url=hogia_url)
    for conn in connections.values():
        extra = conn["extra"]
        assert isinstance(extra, dict)
        extra.update(
            {"requests_per_second": 1000} if conn["conn_type"] == "jetshop" else {"rate_limit_requests": 1000}
        )
    state = {"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{tmp_path / 'state.db'}"}}
    api_port = free_port()
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JETSHOP_HOGIA_"))},
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(
            [str(REPO / "include"), str(REPO / "plugins"), os.environ.get("PYTHONPATH", "")]
        ),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        TENANTS_DIR_ENV: str(tmp_path / "tenants"),
        RUN_STORAGE_ENV: (tmp_path / "runs").as_uri(),
        TASK_RETRIES_ENV: "0",
        ALLOW_SQLITE_ENV: "1",
        "AIRFLOW_CONN_SYNC_STATE": json.dumps(state),
        **as_environment(connections),
    }


@pytest.fixture
def scheduled(
    tmp_path: Path,
    metadata_url: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> Iterator[Airflow]:
    """Airflow running the erp_led demo tenant (prices and stock only) every minute."""
    home = tmp_path / "airflow"
    home.mkdir()
    (tmp_path / "tenants").mkdir()
    tenant = TENANT_FILE.read_text(encoding="utf-8")
    assert STREAMS in tenant, "the demo tenant's streams changed; update this test"
    assert 'schedule: "*/5 * * * *"' in tenant, "the demo tenant's schedule changed; update this test"
    tenant = tenant.replace(STREAMS, "streams: [prices, stock]").replace(
        'schedule: "*/5 * * * *"', 'schedule: "* * * * *"'
    )
    (tmp_path / "tenants" / TENANT_FILE.name).write_text(tenant, encoding="utf-8")
    hogia_sim.set_rate_limit(None)
    env = _environment(tmp_path, home, metadata_url, jetshop_sim.url, hogia_sim.url)
    instance = Airflow(home, env, metadata_url)
    try:
        instance.cli("db", "migrate")
        instance.cli("dags", "reserialize")
        pools = subprocess.run(
            [sys.executable, "-m", "jetshop_hogia.orchestration.pools"],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert pools.returncode == 0, pools.stdout + pools.stderr
        instance.start("api-server")
        health = f"http://127.0.0.1:{env['AIRFLOW__API__PORT']}/api/v2/monitor/health"
        instance.wait("the api-server", lambda: requests.get(health, timeout=2).ok, 180)
        for component in COMPONENTS:
            if component != "api-server":
                instance.start(component)
        yield instance
    finally:
        instance.stop()
        instance.metadata.dispose()


def _product(jetshop_sim: JetshopSimHandle, article: str) -> Any:
    with jetshop_sim.simulator.lock:
        return jetshop_sim.simulator.state.shops["beta"].products.get(article)


def test_a_scheduled_run_carries_hogia_stock_and_price_changes_to_the_shop(
    jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle, scheduled: Airflow
) -> None:
    airflow = scheduled
    company = hogia_sim.companies[1]
    shop = jetshop_sim.simulator.state.shops["beta"]
    assert _product(jetshop_sim, "7300").stock != 3
    assert _product(jetshop_sim, "1092-10").prices[shop.default_price_list].price != Decimal("112.0000")
    for number, change in (("7300", {"stockBalance": "3"}), ("1092-10", {"price": "112.00"})):
        hogia_sim.admin("PATCH", f"articles/{company.organisation_id}/{number}", change)

    run_id, state = airflow.wait(
        "a finished scheduled run",
        lambda: airflow.query(
            "SELECT run_id, state FROM dag_run WHERE dag_id = ? AND run_type = 'scheduled'"
            " AND state IN ('success', 'failed') ORDER BY start_date LIMIT 1",
            DAG_ID,
        ),
        240,
    )[0]
    tasks = dict(
        airflow.query(
            "SELECT task_id, state FROM task_instance WHERE dag_id = ? AND run_id = ?", DAG_ID, run_id
        )
    )

    assert state == "success", f"{run_id}: {tasks}\n{airflow.logs()}"
    assert tasks == dict.fromkeys(
        [
            f"{stream}.{step}"
            for stream in ("prices", "stock")
            for step in ("fetch", "transform", "write", "reconcile")
        ],
        "success",
    )
    assert _product(jetshop_sim, "7300").stock == 3
    assert _product(jetshop_sim, "1092-10").prices[shop.default_price_list].price == Decimal("112.0000")
