"""``make demo`` / ``make stop``: run the whole integration locally on embedded defaults.

``python -m jetshop_hogia_simulators.demo``          start simulators, Airflow standalone and the order feeder
``python -m jetshop_hogia_simulators.demo stop``     stop every process the demo started
``python -m jetshop_hogia_simulators.demo status``
    which demo processes are alive
``python -m jetshop_hogia_simulators.demo alerts``
    the alerts the tenants sent to the demo's alert inbox (``make alerts``)
``python -m jetshop_hogia_simulators.demo airflow …``
    the Airflow CLI with the demo's settings (``make airflow ARGS="dags list"``)
``python -m jetshop_hogia_simulators.demo scenario quarantine-order|fix-order|go-live-assortment``
    a situation to try a manual DAG on (``make demo-scenario ARGS="quarantine-order"``; see
    :mod:`.scenarios`)
``python -m jetshop_hogia_simulators.demo run COMMAND …``
    any command with the demo's environment (``make backfill``, ``make quarantine`` use it)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from jetshop_hogia_simulators.demo import catch_up, metadata_db, processes, scenarios
from jetshop_hogia_simulators.demo.alert_sink import read_alerts
from jetshop_hogia_simulators.demo.environment import (
    ADMIN_USER,
    AIRFLOW_PORT,
    ALERT_PORT,
    ALERTS_FILE,
    HOGIA_PORT,
    JETSHOP_PORT,
    airflow_home,
    demo_environment,
    write_admin_password,
)

BIN = Path(sys.executable).parent


def _wait_for(url: str, seconds: float, name: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(
        f"{name} did not come up at {url} within {seconds:.0f} s; see {processes.DEMO_DIR}/*.log"
    )


def _run(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run(argv, env={**os.environ, **env}, check=True, stdin=subprocess.DEVNULL)


def start() -> None:
    """Start everything in the background and print where to look."""
    processes.stop_all(grace_seconds=5)
    env = demo_environment()
    python = sys.executable
    jetshop_started_before = datetime.now(UTC)  # the simulator seeds its orders before its start
    processes.start(
        "jetshop-simulator", [python, "-m", "jetshop_hogia_simulators.jetshop", "--port", str(JETSHOP_PORT)]
    )
    processes.start(
        "hogia-simulator", [python, "-m", "jetshop_hogia_simulators.hogia", "--port", str(HOGIA_PORT)]
    )
    inbox = ["--port", str(ALERT_PORT), "--file", str(ALERTS_FILE)]
    processes.start("alert-inbox", [python, "-m", "jetshop_hogia_simulators.demo.alert_sink", *inbox])
    _wait_for(f"http://127.0.0.1:{JETSHOP_PORT}/_admin/calls", 60, "Jetshop simulator")
    jetshop_started_after = datetime.now(UTC)
    _wait_for(f"http://127.0.0.1:{HOGIA_PORT}/_admin/calls", 60, "Hogia simulator")
    print("simulators are up; preparing Airflow (database, pools) …", flush=True)
    password = write_admin_password(airflow_home())
    _run([str(BIN / "airflow"), "db", "migrate"], env)
    print("metadata DB journal mode:", metadata_db.enable_wal(airflow_home() / "airflow.db"), flush=True)
    _run([python, "-m", "jetshop_hogia.orchestration.pools"], env)
    _run([str(BIN / "airflow"), "dags", "reserialize"], env)  # the DAGs exist before the first trigger
    for dag_id, run_id in catch_up.trigger_initial_runs(env, jetshop_started_before, jetshop_started_after):
        print(f"{dag_id}: {run_id} invoices the seeded orders", flush=True)
    processes.start("airflow", [str(BIN / "airflow"), "standalone"], env)
    processes.start(
        "order-feeder", [python, "-m", "jetshop_hogia_simulators.demo.order_feeder", "--every", "20"]
    )
    _wait_for(f"http://127.0.0.1:{AIRFLOW_PORT}/api/v2/monitor/health", 240, "Airflow")
    print(
        f"""
The demo is running.
  Airflow UI        http://localhost:{AIRFLOW_PORT}   login: {ADMIN_USER} / {password}
  Jetshop simulator http://127.0.0.1:{JETSHOP_PORT}/Webservice20/v3.0/webservice.asmx  (admin: /_admin/state)
  Hogia simulator   http://127.0.0.1:{HOGIA_PORT}   (admin: /_admin/state, /_admin/calls)
  Alert inbox       http://127.0.0.1:{ALERT_PORT}/   (the tenants' webhook alerts; also: make alerts)
  Logs              {processes.DEMO_DIR}/*.log
A new order is placed every 20 s; each tenant DAG (sync_alpha_shop_led, sync_beta_erp_led,
sync_gamma_combo) turns the orders of its window into Hogia invoices.
Break Hogia:   curl -X PUT localhost:{HOGIA_PORT}/_admin/faults -H 'content-type: application/json' \\
                   -d '{{"down": true}}'
See the alert: make alerts   (a red task posts to the alert inbox once its retries are spent)
Mend it:       curl -X PUT localhost:{HOGIA_PORT}/_admin/faults -H 'content-type: application/json' -d '{{}}'
Repair a day:  make backfill TENANT=alpha_shop_led DAY=YYYY-MM-DD   (re-runs that day's failed runs)
Quarantine:    make quarantine ARGS="list --tenant alpha_shop_led"
Re-drive demo: make demo-scenario ARGS="quarantine-order"   (an order to quarantine, fix and re-drive)
Initial sync:  make demo-scenario ARGS="go-live-assortment" (an assortment for initial_sync_alpha_shop_led)
Airflow CLI:   make airflow ARGS="dags list-runs sync_alpha_shop_led"
Stop:          make stop
""",
        flush=True,
    )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    if command == "start":
        start()
    elif command == "stop":
        stopped = processes.stop_all()
        print("stopped:", ", ".join(stopped) if stopped else "nothing was running")
    elif command == "status":
        for name, pid in processes.recorded().items():
            print(f"{name:<20} pid {pid:<8} {'running' if processes.alive(pid) else 'stopped'}")
    elif command == "alerts":
        received = read_alerts(ALERTS_FILE)
        for alert in received:
            body = alert.get("body")
            text = body.get("text") if isinstance(body, dict) else body
            print(f"{alert.get('received_at')}  {text}")
        print(f"{len(received)} alert(s) in {ALERTS_FILE}")
    elif command == "airflow":
        env = {**os.environ, **demo_environment()}
        return subprocess.run([str(BIN / "airflow"), *argv[1:]], env=env, check=False).returncode
    elif command == "scenario":
        return scenarios.main(argv[1:])
    elif command == "run" and len(argv) > 1:
        env = {**os.environ, **demo_environment()}
        program = argv[1] if "/" in argv[1] else shutil.which(argv[1], path=env["PATH"]) or argv[1]
        return subprocess.run([program, *argv[2:]], env=env, check=False).returncode
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
