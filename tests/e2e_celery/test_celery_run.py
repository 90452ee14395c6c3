"""A tenant DAG on a real CeleryExecutor: a worker dies mid-write, the retry finishes without a duplicate.

Airflow (api-server, scheduler, dag-processor) and Celery workers run as separate processes from this
virtualenv, with Redis as the broker and PostgreSQL for Airflow's metadata and the state store — the
deployment of docker-compose.yaml without containers. The demo tenant's day D is backfilled; while its
``orders.write`` task is creating invoices in the Hogia simulator (slowed down so the write takes a few
seconds), the worker running it is SIGKILLed with every process it forked. Nobody reports the task's end;
the scheduler notices the missing heartbeats, fails the try and retries it on a second worker. The retry
finds the order whose claim the dead try held, looks its invoice up in Hogia instead of sending it
blindly, and sends the rest: every order of D ends with exactly one invoice and reconcile is green.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pendulum
import pytest
from celery_cluster import DAG_ID, TASK_RETRIES, Cluster, reported

from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [
    pytest.mark.airflow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("e2e_celery"),
    pytest.mark.timeout(600),  # ~3 min; the rest is headroom for a loaded CI machine
]

DAY = date(2026, 11, 24)
LOCAL = "Europe/Stockholm"
ORDERS = 6
STEPS = ("fetch", "transform", "write", "reconcile")


def _place(jetshop_sim: JetshopSimHandle, count: int, moment: pendulum.DateTime) -> set[str]:
    body = {"shop_id": "alpha", "count": count, "status_id": 2, "placed_at": moment.isoformat()}
    return {o["order_number"] for o in jetshop_sim.admin("POST", "orders", body)["orders"]}


def _invoices(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    return {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()}


def _creates(hogia_sim: HogiaSimHandle) -> int:
    return int(hogia_sim.admin("GET", "calls")["calls"].get("customerinvoices.create", 0))


def _task_states(cluster: Cluster, run_id: str) -> dict[str, tuple[str | None, int]]:
    rows = cluster.query(
        "SELECT task_id, state, try_number FROM task_instance WHERE dag_id = :dag AND run_id = :run",
        dag=DAG_ID,
        run=run_id,
    )
    return {task_id: (state, tries) for task_id, state, tries in rows}


def _backfill_run(cluster: Cluster) -> str | None:
    rows = cluster.query(
        "SELECT run_id FROM dag_run WHERE dag_id = :dag AND run_type = 'backfill'", dag=DAG_ID
    )
    return rows[0][0] if rows else None


def _workloads(cluster: Cluster, worker: str) -> list[str]:
    """``<task>/attempt=<n>`` of every workload the Celery worker's log says it executed, in order."""
    log = (cluster.home / f"{worker}.log").read_text(errors="replace")
    return re.findall(r"Executing workload in Celery: .*?task_id=([\w.]+/attempt=\d+)\.log", log)


def _ledger_states(cluster: Cluster) -> dict[str, str]:
    """Order number → ledger state, from the PostgreSQL state store the tasks wrote."""
    return {
        str(n): str(state) for n, state in cluster.query_state("SELECT order_number, state FROM order_ledger")
    }


def test_worker_killed_during_write_recovers_on_retry_without_duplicates(
    celery_cluster: Cluster, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    cluster = celery_cluster
    day_start = pendulum.datetime(DAY.year, DAY.month, DAY.day, tz=LOCAL)
    placed = _place(jetshop_sim, ORDERS, day_start.add(hours=10))

    cluster.cli("backfill", "create", "--dag-id", DAG_ID, "--from-date", day_start.isoformat(),
                "--to-date", day_start.isoformat())  # fmt: skip
    run_id = cluster.wait("the backfill run", lambda: _backfill_run(cluster), 60)
    cluster.wait(
        "the write task to be queued",
        lambda: _task_states(cluster, run_id).get("orders.write", (None, 0))[0] in ("queued", "running"),
        180,
        interval=0.1,
    )
    # From now on every Hogia call takes ~0.3 s, so writing six invoices (contact + invoice each) takes
    # seconds: time enough to kill the worker in the middle. (Set no earlier: fetch reads Hogia too.)
    hogia_sim.admin("PUT", "faults", {"latency_ms_median": 300, "latency_ms_p95": 400})
    sent_before_kill = cluster.wait(
        "the write task to have sent some invoices",
        lambda: (n := len(_invoices(hogia_sim))) > 0 and n,
        120,
        interval=0.05,
    )
    write_state = _task_states(cluster, run_id).get("orders.write")
    cluster.kill_tree("worker1")
    hogia_sim.admin("PUT", "faults", {})
    time.sleep(1)
    sent_after_kill = len(_invoices(hogia_sim))

    cluster.start_worker("worker2")
    cluster.wait(
        "the backfill to complete",
        lambda: cluster.query("SELECT completed_at FROM backfill WHERE dag_id = :dag", dag=DAG_ID)[0][0],
        240,
    )

    with reported(cluster):
        assert write_state == ("running", 1), "the worker was not killed during the first try of the write"
        assert sent_before_kill < ORDERS, "the write had finished before the kill; nothing was interrupted"
        assert sent_after_kill < ORDERS, "invoices kept being sent after the worker's process group died"
        run_state = cluster.query("SELECT state FROM dag_run WHERE run_id = :run", run=run_id)[0][0]
        tasks = _task_states(cluster, run_id)
        assert run_state == "success", tasks
        assert {task: state for task, (state, _) in tasks.items()} == {
            f"orders.{s}": "success" for s in STEPS
        }
        write_tries = tasks["orders.write"][1]
        assert 2 <= write_tries <= TASK_RETRIES + 1, (
            f"the write should have been retried once, tries={write_tries}"
        )
        assert _invoices(hogia_sim) == dict.fromkeys(placed, 1)  # every order exactly once
        # one create may have been in flight when the worker died: the simulator counted it on arrival
        # but dropped it with the killed connection, so the retry (after its look-up) sent it again —
        # the invoices above prove it was not applied twice
        assert ORDERS <= _creates(hogia_sim) <= ORDERS + 1, hogia_sim.admin("GET", "calls")
        assert _ledger_states(cluster) == dict.fromkeys(placed, "pushed")
        executed = {name: _workloads(cluster, name) for name in ("worker1", "worker2")}
        assert executed == {
            "worker1": ["orders.fetch/attempt=1", "orders.transform/attempt=1", "orders.write/attempt=1"],
            "worker2": ["orders.write/attempt=2", "orders.reconcile/attempt=1"],
        }, "each try should have run on the Celery worker alive at the time"
