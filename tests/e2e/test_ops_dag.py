"""A tenant whose Hogia invoicing module is switched off: its run turns red, naming the cause (dag.test)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_orders_dag import DAY, _dag, _invoices, _place, _run_day, _task_states

from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]


def test_module_switched_off_fails_the_run_at_write_and_the_next_day_after_the_fix_sends_it(
    demo_tenant_env: object, state_url: str, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> None:
    placed = {order["order_number"] for order in _place(jetshop_sim, 3, hour=10)}
    company = f"company/{hogia_sim.company.organisation_id}"
    hogia_sim.admin("PUT", company, {"modules": ["Bokforing", "Kassaregister"]})
    dag = _dag()

    run = _run_day(dag)

    states = _task_states(run)
    assert str(run.state) == "failed"
    assert states["orders.write"] == "failed"
    assert states["orders.fetch"] == states["orders.transform"] == "success"
    assert _invoices(hogia_sim) == {}

    hogia_sim.admin("PUT", company, {"modules": ["Bokforing", "Fakturering"]})
    healed = _run_day(dag, DAY + timedelta(days=1))  # the next day's run: nothing placed on it

    assert str(healed.state) == "success"
    assert {number: _invoices(hogia_sim).get(number) for number in placed} == dict.fromkeys(placed, 1)
