"""The demo tenant's ``sync_alpha_shop_led`` DAG end to end under ``dag.test()``, on SQLite and PostgreSQL.

Orders placed in the Jetshop simulator for one day become exactly one invoice each in the Hogia simulator;
a bad order is quarantined; reconcile succeeds; XCom holds paths and counts only. Then a day on which Hogia
was down: the run fails, and re-running the same run (same logical date, same run id — what ``airflow
backfill create --reprocess-behavior failed`` does by clearing the failed run) sends exactly the missing
invoices and reconciles green without a duplicate. (Airflow 3.3.2's ``dag.test`` deletes the existing run
of the logical date and creates a new one — its run id comes from ``run_after`` — while a backfill with
``--reprocess-behavior failed`` clears the failed run and keeps its id; for the order stream both are the
same: the ledger, not the run id, decides what is still owed.)
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest

from jetshop_hogia.kernel import MAX_XCOM_BYTES
from jetshop_hogia.state import ORDERS_STREAM, StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_ID = "sync_alpha_shop_led"
TENANT = "alpha_shop_led"
DAY = date(2026, 11, 24)


def _dag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags[DAG_ID]
    for task in dag.tasks:
        task.retries = 0  # a failure must fail the run now, not wait for the 30 s retry delay
    return dag


def _run_day(dag: Any, day: date = DAY) -> Any:
    """The run owning local day ``day`` (window params), with a fixed logical date: running it again
    replaces the earlier run of that logical date."""
    next_day = day + timedelta(days=1)
    return dag.test(
        logical_date=pendulum.datetime(next_day.year, next_day.month, next_day.day, tz="Europe/Stockholm"),
        run_conf={"window_start": day.isoformat(), "window_end": next_day.isoformat()},
    )


def _place(jetshop_sim: JetshopSimHandle, count: int, hour: int) -> list[dict[str, Any]]:
    placed_at = pendulum.datetime(DAY.year, DAY.month, DAY.day, hour, tz="Europe/Stockholm").isoformat()
    body = {"shop_id": "alpha", "count": count, "status_id": 2, "placed_at": placed_at}
    orders: list[dict[str, Any]] = jetshop_sim.admin("POST", "orders", body)["orders"]
    return orders


def _invoices(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    return {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()}


def _xcoms(run_id: str) -> dict[str, Any]:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(XComModel).where(XComModel.dag_id == DAG_ID, XComModel.run_id == run_id)
        )
        return {row.task_id: row.value for row in rows}


def _task_states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_a_day_of_orders_becomes_one_invoice_each_and_reconciles(
    demo_tenant_env: Path,
    state_url: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> None:
    placed = _place(jetshop_sim, 5, 9)
    bad = placed[0]
    with jetshop_sim.simulator.lock:  # one order with an article Hogia does not know
        orders = jetshop_sim.simulator.state.shops["alpha"].orders
        order = orders[bad["order_id"]]
        row = order.rows[0].model_copy(update={"article_number": "2201-xl"})
        orders[bad["order_id"]] = order.model_copy(update={"rows": (row, *order.rows[1:])})

    run = _run_day(_dag())

    assert run.state == "success", _task_states(run)
    eligible = {o["order_number"] for o in placed} - {bad["order_number"]}
    assert _invoices(hogia_sim) == dict.fromkeys(eligible, 1)
    xcoms = {
        task: json.loads(v) if isinstance(v, str | bytes) else v for task, v in _xcoms(run.run_id).items()
    }
    assert sorted(t for t in xcoms if t.startswith("orders.")) == [
        f"orders.{step}" for step in ("fetch", "reconcile", "transform", "write")
    ]
    assert all(len(json.dumps(value)) < MAX_XCOM_BYTES for value in xcoms.values())
    assert xcoms["orders.reconcile"]["status"] == "ok"
    assert (xcoms["orders.reconcile"]["expected"], xcoms["orders.reconcile"]["quarantined"]) == (4, 1)
    assert Path(xcoms["orders.fetch"]["shops"]["alpha"]["path"].removeprefix("file://")).is_relative_to(
        demo_tenant_env / TENANT
    )
    with StateStore(state_url) as store, store.transaction() as tx:
        result = tx.reconciliation.latest(TENANT, ORDERS_STREAM)
    assert result is not None
    assert (result.status.value, result.run_id) == ("ok", run.run_id)


def test_a_day_with_hogia_down_is_completed_by_re_running_the_same_run(
    demo_tenant_env: Path,
    state_url: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> None:
    placed = {o["order_number"] for o in _place(jetshop_sim, 8, 14)}
    dag = _dag()
    # Hogia fails half of the invoice creates (503: refused before it was applied) …
    hogia_sim.admin(
        "PUT", "faults", {"error_503_share": 0.5, "operations": ["customerinvoices.create"], "seed": 3}
    )
    first = _run_day(dag)
    first_states, sent_first = _task_states(first), _invoices(hogia_sim)
    # … then is down altogether …
    hogia_sim.admin("PUT", "faults", {"down": True})
    second = _run_day(dag)
    second_states, after_outage = _task_states(second), _invoices(hogia_sim)
    # … and comes back: the same run for the day is run again.
    hogia_sim.admin("PUT", "faults", {})
    creates_before = hogia_sim.admin("GET", "calls")["calls"].get("customerinvoices.create", 0)
    third = _run_day(dag)
    creates = hogia_sim.admin("GET", "calls")["calls"]["customerinvoices.create"] - creates_before

    assert (first.state, first_states["orders.write"]) == ("failed", "failed")
    assert 0 < len(sent_first) < len(placed)
    assert (second.state, second_states["orders.fetch"]) == ("failed", "failed")
    assert after_outage == sent_first
    assert third.state == "success", _task_states(third)
    assert third.logical_date == first.logical_date  # dag.test replaces the run of that logical date
    assert creates == len(placed) - len(sent_first)  # exactly the missing ones were sent
    assert _invoices(hogia_sim) == dict.fromkeys(placed, 1)
    with StateStore(state_url) as store, store.transaction() as tx:
        history = tx.reconciliation.history(TENANT, ORDERS_STREAM)
    assert [r.status.value for r in history][:1] == ["ok"]
    assert history[0].counts.expected == history[0].counts.matched == len(placed)
