"""The order_status stream inside a tenant DAG under ``dag.test()``: Hogia says delivered, the shop follows.

The demo tenant is turned into an erp_led tenant on plan 200 with order status feedback. First run: the
day's orders become invoices (the order_status tasks find no event yet). The merchant then marks one
invoice delivered with a tracking number in Hogia; re-running the same (past) day with the run parameter
``notify_customers: true`` moves the order in Jetshop, mails the customer once and captures the Klarna
payment once — the parameter travels through Airflow's run conf to the stream.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
import yaml

from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_ID = "sync_alpha_shop_led"
DAY = date(2026, 11, 25)
FEEDBACK = {
    "enabled": True,
    "statuses": {
        "delivered": {
            "jetshop_status_id": 3,
            "send_mail": True,
            "send_tracking": True,
            "capture_payment": True,
        },
        "paid": {"jetshop_status_id": 5},
    },
}


def _make_feedback_tenant(runs: Path) -> None:
    path = runs.parent / "tenants" / "alpha_shop_led.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data |= {
        "flow": "erp_led",
        "plan": 200,
        "order_status_feedback": FEEDBACK,
        "streams": ["orders", "order_status"],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _run_day(conf: dict[str, Any] | None = None) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags[DAG_ID]
    for task in dag.tasks:
        task.retries = 0
    next_day = DAY + timedelta(days=1)
    return dag.test(
        logical_date=pendulum.datetime(next_day.year, next_day.month, next_day.day, tz="Europe/Stockholm"),
        run_conf={"window_start": DAY.isoformat(), "window_end": next_day.isoformat(), **(conf or {})},
    )


def _states(run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_a_delivered_invoice_moves_the_shop_order_with_one_mail_and_one_capture(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    _make_feedback_tenant(demo_tenant_env)
    placed_at = pendulum.datetime(DAY.year, DAY.month, DAY.day, 9, tz="Europe/Stockholm").isoformat()
    body = {"shop_id": "alpha", "count": 2, "status_id": 2, "placed_at": placed_at}
    placed = jetshop_sim.admin("POST", "orders", body)["orders"]
    with jetshop_sim.simulator.lock:
        orders = jetshop_sim.simulator.state.shops["alpha"].orders
        for item in placed:
            update = {"payment_method": "Klarna", "payment_status": "Authorized"}
            orders[item["order_id"]] = orders[item["order_id"]].model_copy(update=update)

    first = _run_day()
    assert first.state == "success", _states(first)
    assert {"order_status.fetch", "order_status.write", "order_status.reconcile"} <= set(_states(first))

    target = placed[0]
    found = hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": target["order_number"]})
    (invoice,) = found.json()
    hogia_sim.simulator.core.clock.set(
        pendulum.datetime(DAY.year, DAY.month, DAY.day, 15, tz="Europe/Stockholm")
    )
    hogia_sim.admin(
        "POST", f"invoices/{invoice['id']}/status", {"delivered": True, "trackingNumber": "PKG-77"}
    )
    mails_before = len(jetshop_sim.admin("GET", "mails"))
    captures_before = len(jetshop_sim.admin("GET", "captures"))

    second = _run_day({"notify_customers": True})

    assert second.state == "success", _states(second)
    order = jetshop_sim.simulator.state.shops["alpha"].orders[target["order_id"]]
    assert (order.status_id, order.tracking_number, order.payment_status) == (3, "PKG-77", "Captured")
    other = jetshop_sim.simulator.state.shops["alpha"].orders[placed[1]["order_id"]]
    assert other.payment_status == "Authorized"
    new_mails = jetshop_sim.admin("GET", "mails")[mails_before:]
    new_captures = jetshop_sim.admin("GET", "captures")[captures_before:]
    assert [m["order_number"] for m in new_mails] == [target["order_number"]]
    assert [c["order_number"] for c in new_captures] == [target["order_number"]]
    assert json.dumps(second.conf).count("notify_customers") == 1
