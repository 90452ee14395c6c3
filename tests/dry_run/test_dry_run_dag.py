"""``sync_alpha_shop_led`` triggered with ``{"dry_run": true}`` under ``dag.test()``: every task succeeds,
neither simulator nor the state store changes, the would-be invoices are in the run directory — and the
real run after it creates exactly those invoices."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from snapshots import simulators, state_tables

from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_ID = "sync_alpha_shop_led"
DAY = date(2026, 11, 26)  # a day no other DAG test of this tenant runs (one metadata DB per worker)


def _dag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags[DAG_ID]
    for task in dag.tasks:
        task.retries = 0
    return dag


def _run(dag: Any, **conf: Any) -> Any:
    next_day = DAY + timedelta(days=1)
    return dag.test(
        logical_date=pendulum.datetime(next_day.year, next_day.month, next_day.day, tz="Europe/Stockholm"),
        run_conf={"window_start": DAY.isoformat(), "window_end": next_day.isoformat(), **conf},
    )


def _xcom(run_id: str, task_id: str) -> Any:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        row = session.scalars(
            select(XComModel).where(
                XComModel.dag_id == DAG_ID, XComModel.run_id == run_id, XComModel.task_id == task_id
            )
        ).one()
        return json.loads(row.value) if isinstance(row.value, str | bytes) else row.value


def test_a_dry_run_of_the_tenant_dag_changes_nothing_and_previews_the_real_run(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    placed_at = pendulum.datetime(DAY.year, DAY.month, DAY.day, 9, tz="Europe/Stockholm").isoformat()
    body = {"shop_id": "alpha", "count": 3, "status_id": 2, "placed_at": placed_at}
    placed = jetshop_sim.admin("POST", "orders", body)["orders"]
    with StateStore(state_url) as store:
        store.migrate()  # a deployed store is migrated; the dry run must not be what creates its tables
        before = (simulators(jetshop_sim, hogia_sim), state_tables(store))
        dag = _dag()
        assert dag.params["dry_run"] is False  # in the trigger form, off unless ticked

        dry = _run(dag, dry_run=True)

        assert dry.state == "success", {ti.task_id: str(ti.state) for ti in dry.get_task_instances()}
        assert (simulators(jetshop_sim, hogia_sim), state_tables(store)) == before
    written = _xcom(dry.run_id, "orders.write")
    assert written["dry_run"] is True
    would_be = json.loads(Path(written["would_be"].removeprefix("file://")).read_text(encoding="utf-8"))
    previewed = {w["item_id"] for w in would_be if w["action"] == "create_invoice"}
    assert previewed == {order["order_number"] for order in placed}
    assert _xcom(dry.run_id, "orders.reconcile")["status"] == "dry_run"

    real = _run(_dag())

    assert real.state == "success"
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    assert {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()} == dict.fromkeys(
        previewed, 1
    )
