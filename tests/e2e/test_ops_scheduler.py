"""An ops day through a real scheduler: outages heal by themselves and the day repair works every time.

Airflow (api-server, scheduler, dag-processor, LocalExecutor) in a throw-away AIRFLOW_HOME whose SQLite
metadata DB is set up like the demo's (WAL, busy timeout: ``demo/metadata_db.py``); the demo tenant on
a one-minute schedule so that windows pass in test time.

1. Hogia is down while orders arrive: two scheduled runs fail (their fetch reads Hogia's reference data).
2. Hogia comes back: the next *scheduled* run — nobody clears or backfills anything — invoices every
   order of the failed windows, exactly once, and puts its summary on the run's note.
3. The documented repair (``python -m jetshop_hogia backfill --tenant … --day … --wait``, what
   ``make backfill`` runs) succeeds three times in a row: the first re-runs the two failed runs (same run
   ids, nothing sent again), the next two find nothing to do; no run is created for earlier windows.
4. A trigger with ``window_start: "yesterday"`` is refused by the REST API before a run exists.
5. The demo's ``initial_catch_up`` run (``demo/catch_up.py``) invoices the seeded history, once.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pendulum
import pytest
import requests
from test_backfill_cli import BIN, COMPONENTS, DEMO_TENANT, REPO, Airflow

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.orchestration.factory import TASK_RETRIES_ENV
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
from jetshop_hogia.state.connection import ALLOW_SQLITE_ENV
from jetshop_hogia_simulators.common.server import free_port
from jetshop_hogia_simulators.demo import catch_up, metadata_db
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.timeout(900)]

DAG_ID = "sync_alpha_shop_led"
LOCAL = "Europe/Stockholm"
API_USER, API_PASSWORD = "ops", "ops-password"


@pytest.fixture
def minutely(
    tmp_path: Path, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> Iterator[tuple[Airflow, int]]:
    """Airflow with the demo tenant on ``* * * * *``; yields it and the API port."""
    home = tmp_path / "airflow"
    home.mkdir()
    tenants = tmp_path / "tenants"
    tenants.mkdir()
    tenant = DEMO_TENANT.read_text(encoding="utf-8").replace(
        'schedule: "*/5 * * * *"', 'schedule: "* * * * *"'
    )
    assert 'schedule: "* * * * *"' in tenant
    tenant = tenant.replace("streams: [orders, products_to_hogia]", "streams: [orders]")  # about orders
    assert "streams: [orders]" in tenant, "the demo tenant's streams line changed; update this test"
    (tenants / DEMO_TENANT.name).write_text(tenant, encoding="utf-8")
    hogia_sim.set_rate_limit(None)
    user, password = jetshop_sim.credentials("alpha")
    company = hogia_sim.company
    api_port = free_port()
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
        "sync_state": {
            "conn_type": "generic",
            "extra": {"sqlalchemy_url": f"sqlite:///{tmp_path / 'state.db'}"},
        },
        "airflow_api": {
            "conn_type": "http",
            "host": f"http://127.0.0.1:{api_port}",
            "login": API_USER,
            "password": API_PASSWORD,
        },
    }
    (home / "simple_auth_manager_passwords.json.generated").write_text(json.dumps({API_USER: API_PASSWORD}))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JETSHOP_HOGIA_"))},
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(
            [str(REPO / "include"), str(REPO / "plugins"), os.environ.get("PYTHONPATH", "")]
        ),
        "AIRFLOW_HOME": str(home),
        **metadata_db.environment(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{API_USER}:admin",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        TENANTS_DIR_ENV: str(tenants),
        RUN_STORAGE_ENV: (tmp_path / "runs").as_uri(),
        TASK_RETRIES_ENV: "0",
        ALLOW_SQLITE_ENV: "1",  # one machine, one SQLite ledger: the explicit opt-in
        **{f"AIRFLOW_CONN_{cid.upper()}": json.dumps(conn) for cid, conn in connections.items()},
    }
    instance = Airflow(home, env)
    try:
        instance.cli("db", "migrate")
        assert metadata_db.enable_wal(home / "airflow.db") == "wal"
        instance.cli("dags", "reserialize")
        pools = subprocess.run(
            [sys.executable, "-m", "jetshop_hogia.orchestration.pools"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert pools.returncode == 0, pools.stdout + pools.stderr
        # the api-server first: tasks the scheduler starts need its Execution API from the first second
        instance.start("api-server")
        health = f"http://127.0.0.1:{api_port}/api/v2/monitor/health"
        instance.wait("the api-server", lambda: requests.get(health, timeout=2).ok, 180)
        for component in COMPONENTS:
            if component != "api-server":
                instance.start(component)
        yield instance, api_port
    finally:
        instance.stop()


def _place(jetshop_sim: JetshopSimHandle, count: int) -> set[str]:
    body = {"shop_id": "alpha", "count": count, "status_id": 2, "placed_at": pendulum.now(LOCAL).isoformat()}
    return {o["order_number"] for o in jetshop_sim.admin("POST", "orders", body)["orders"]}


def _invoices(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    return {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()}


def _runs(airflow: Airflow) -> list[tuple[str, str, str]]:
    return airflow.query(  # type: ignore[return-value]
        "SELECT run_id, state, data_interval_start FROM dag_run WHERE dag_id = ? "
        "ORDER BY data_interval_start",
        DAG_ID,
    )


def _failed_run_owning(airflow: Airflow, moment: pendulum.DateTime) -> str | None:
    """The failed run whose data interval holds ``moment``, once there is one."""
    for run_id, state, start in _runs(airflow):
        begin = pendulum.parse(start.replace(" ", "T") + ("" if "+" in start else "+00:00"))
        if state == "failed" and begin <= moment < begin.add(minutes=1):
            return str(run_id)
    return None


def _task_log(airflow: Airflow, run_id: str, task_id: str) -> str:
    """The task's log text (JSON lines; searched as text)."""
    folder = airflow.home / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}" / f"task_id={task_id}"
    return "\n".join(path.read_text(errors="replace") for path in sorted(folder.glob("*.log")))


def _local_day(start: str) -> str:
    moment = pendulum.parse(start.replace(" ", "T") + ("" if "+" in start else "+00:00"))
    return str(moment.in_timezone(LOCAL).date())


def _repair(airflow: Airflow, day: str) -> tuple[int, str]:
    """``python -m jetshop_hogia backfill`` for one local day (``make backfill``): exit status, output."""
    command = [sys.executable, "-m", "jetshop_hogia", "backfill", "--tenant", "alpha_shop_led"]
    done = subprocess.run(
        [*command, "--day", day, "--wait", "240"],
        env=airflow.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout[-800:] + done.stderr[-800:]


def _failed(airflow: Airflow) -> list[str]:
    return [run_id for run_id, state, _ in _runs(airflow) if state == "failed"]


def test_outage_heals_by_itself_and_the_day_repair_succeeds_three_times(
    minutely: tuple[Airflow, int],
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    airflow, api_port = minutely
    hogia_sim.admin("PUT", "faults", {"down": True})
    placed: set[str] = set()
    failed_runs: list[str] = []
    for batch in ("first", "second"):
        moment = pendulum.now("UTC")
        placed |= _place(jetshop_sim, 2)
        run = airflow.wait(
            f"the run owning the {batch} orders to fail while Hogia is down",
            lambda moment=moment: _failed_run_owning(airflow, moment),
            240,
        )
        failed_runs.append(run)
    assert _invoices(hogia_sim) == {}
    fetch_logs = [_task_log(airflow, run, "orders.fetch") for run in failed_runs]
    # the outage is a 503 from every Hogia call: the failed fetch names it (the hooks quote codes only)
    assert all(
        "not processed" in text or "down" in text.lower() or "HTTP 503" in text for text in fetch_logs
    ), [text[-2000:] for text in fetch_logs]

    hogia_sim.admin("PUT", "faults", {})
    failed_at_mend = _failed(airflow)  # runs after the first batch failed too: they owed its orders
    last_failed_interval = max(start for run_id, _, start in _runs(airflow) if run_id in failed_at_mend)

    def healed() -> str | None:
        later = [(r, s) for r, s, start in _runs(airflow) if start > last_failed_interval and s == "success"]
        return later[0][0] if later and set(_invoices(hogia_sim)) >= placed else None

    healing_run = airflow.wait("a later scheduled run to send the failed windows' orders", healed, 240)
    assert healing_run.startswith("scheduled__")
    assert {number: _invoices(hogia_sim)[number] for number in placed} == dict.fromkeys(placed, 1)
    note = airflow.query(
        "SELECT n.content FROM dag_run_note n JOIN dag_run r ON r.id = n.dag_run_id WHERE r.run_id = ?",
        healing_run,
    )
    assert note, f"no note on {healing_run}"
    assert note[0][0].startswith("orders ")
    assert " invoiced, " in note[0][0]

    days = sorted({_local_day(start) for run_id, _, start in _runs(airflow) if run_id in failed_at_mend})
    runs_before = {run_id for run_id, _, _ in _runs(airflow)}
    outcomes = [[_repair(airflow, day) for day in days] for _ in range(3)]  # what make backfill runs
    assert [[code for code, _ in attempt] for attempt in outcomes] == [[0] * len(days)] * 3, outcomes
    assert all(re.search(r"re-running \d+ failed runs", out) for _, out in outcomes[0]), outcomes[0]
    assert all("no failed runs" in out for _, out in outcomes[2]), outcomes[2]
    assert _failed(airflow) == []
    states = dict((run_id, state) for run_id, state, _ in _runs(airflow))
    assert all(states[run_id] == "success" for run_id in failed_runs), states
    new_runs = {run_id for run_id, _, _ in _runs(airflow)} - runs_before
    assert all(run_id.startswith("scheduled__") for run_id in new_runs), new_runs  # the repair made none
    assert {number: _invoices(hogia_sim)[number] for number in placed} == dict.fromkeys(placed, 1)

    base = f"http://127.0.0.1:{api_port}"
    token = requests.post(
        f"{base}/auth/token", json={"username": API_USER, "password": API_PASSWORD}, timeout=10
    )
    refused = requests.post(
        f"{base}/api/v2/dags/{DAG_ID}/dagRuns",
        json={"logical_date": None, "conf": {"window_start": "yesterday", "window_end": "2026-11-25"}},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        timeout=30,
    )
    assert refused.status_code == 400, refused.text
    assert "window_start" in refused.text

    # make demo's first screen: one initial_catch_up run over the seeded history, made once
    monkeypatch.setenv(TENANTS_DIR_ENV, airflow.env[TENANTS_DIR_ENV])
    # the window make demo derives from when it started the Jetshop simulator (here: the test clock)
    started = TEST_START.astimezone(UTC)
    made = list(catch_up.trigger_initial_runs(airflow.env, started, started))
    assert made == [(DAG_ID, catch_up.RUN_ID)]
    assert list(catch_up.trigger_initial_runs(airflow.env, started, started)) == []  # a second make demo

    def catch_up_state() -> str | None:
        rows = airflow.query("SELECT state FROM dag_run WHERE run_id = ?", catch_up.RUN_ID)
        return str(rows[0][0]) if rows and rows[0][0] in ("success", "failed") else None

    assert airflow.wait("the initial catch-up run", catch_up_state, 300) == "success"
    seeded = {o.order_number for o in jetshop_sim.simulator.world.orders["alpha"] if o.status_id == 2}
    invoiced = _invoices(hogia_sim)
    assert seeded & set(invoiced), (seeded, invoiced)
    assert all(invoiced[number] == 1 for number in seeded & set(invoiced))
