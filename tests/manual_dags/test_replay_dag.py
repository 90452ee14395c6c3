"""``replay_order`` under ``dag.test()``: one order replayed twice is invoiced once; then it is reported
as already invoiced; a tenant's unknown shop fails the run at its first task without a Hogia write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest
from manual_dag_helpers import load_dag, task_states, xcoms

from jetshop_hogia.state import OrderKey, OrderState, StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

TENANT = "alpha_shop_led"


def _place_one(jetshop_sim: JetshopSimHandle, status_id: int = 2) -> dict[str, Any]:
    placed_at = pendulum.datetime(2026, 11, 24, 10, tz="Europe/Stockholm").isoformat()
    body = {"shop_id": "alpha", "count": 1, "status_id": status_id, "placed_at": placed_at}
    order: dict[str, Any] = jetshop_sim.admin("POST", "orders", body)["orders"][0]
    return order


def _invoices(hogia_sim: HogiaSimHandle) -> dict[str, int]:
    overview = hogia_sim.admin("GET", f"invoices/{hogia_sim.company.organisation_id}")
    return {str(k): int(v) for k, v in overview["byCustomerOrderNumber"].items()}


def _creates(hogia_sim: HogiaSimHandle) -> int:
    return int(hogia_sim.admin("GET", "calls")["calls"].get("customerinvoices.create", 0))


def test_replaying_an_order_twice_invoices_it_once_and_then_reports_it_invoiced(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    order = _place_one(jetshop_sim)
    dag = load_dag("replay_order")
    conf = {
        "tenant": TENANT,
        "shop": "alpha",
        "order_number": order["order_number"],
        "jetshop_order_id": order["order_id"],  # no run has seen it: the ledger does not know its id
    }

    first = dag.test(run_conf=conf)
    creates_after_first = _creates(hogia_sim)
    second = dag.test(run_conf={key: value for key, value in conf.items() if key != "jetshop_order_id"})

    assert first.state == "success", task_states(first)
    assert second.state == "success", task_states(second)
    assert _invoices(hogia_sim) == {order["order_number"]: 1}
    assert _creates(hogia_sim) == creates_after_first  # the second replay sent nothing
    one, two = xcoms("replay_order", first.run_id)["replay"], xcoms("replay_order", second.run_id)["replay"]
    assert one["outcome"] == "invoiced"
    assert (two["outcome"], two["invoice_id"]) == ("already_invoiced", one["invoice_id"])
    with StateStore(state_url) as store, store.transaction() as tx:
        record = tx.ledger.require(OrderKey(TENANT, "alpha", order["order_number"]))
    assert (record.state, record.hogia_invoice_id) == (OrderState.PUSHED, one["invoice_id"])


def test_an_unknown_shop_fails_the_first_task_and_an_unreleased_order_is_not_invoiced(
    demo_tenant_env: Path, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    order = _place_one(jetshop_sim, status_id=1)  # "New": the shop has not released it for invoicing
    creates = _creates(hogia_sim)
    dag = load_dag("replay_order")
    conf = {"tenant": TENANT, "shop": "alpha", "order_number": order["order_number"]}

    wrong_shop = dag.test(run_conf={**conf, "shop": "nosuchshop"})
    too_early = dag.test(run_conf={**conf, "jetshop_order_id": order["order_id"]})

    states = task_states(wrong_shop)
    assert wrong_shop.state == "failed"
    assert states["check_request"] == "failed"
    assert states["replay"] != "success"
    assert too_early.state == "success", task_states(too_early)
    assert xcoms("replay_order", too_early.run_id)["replay"]["outcome"] == "not_in_trigger_status"
    assert _creates(hogia_sim) == creates
    assert order["order_number"] not in _invoices(hogia_sim)


def test_the_trigger_form_refuses_a_malformed_order_number() -> None:
    from airflow.sdk.definitions.param import ParamsDict
    from airflow.sdk.exceptions import ParamValidationError

    from jetshop_hogia.orchestration.manual_dags import replay_params

    params = ParamsDict(replay_params())
    params.update({"tenant": TENANT, "shop": "alpha", "order_number": "100234"})
    assert params.validate()["order_number"] == "100234"
    with pytest.raises(ParamValidationError, match="order_number"):
        params.update({"order_number": "1; drop table"})
    with pytest.raises(ParamValidationError, match="tenant"):
        params.update({"tenant": "../etc"})


def test_the_shared_manual_dags_run_when_triggered_even_where_new_dags_start_paused() -> None:
    from jetshop_hogia.orchestration.manual_dags import build_manual_dags

    dags = build_manual_dags()
    assert set(dags) == {"replay_order", "redrive_quarantine"}
    assert all(dag.is_paused_upon_creation is False and dag.schedule is None for dag in dags.values())
