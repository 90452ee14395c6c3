"""A write task killed mid-push, retried at once by Airflow (same run_id): exactly one invoice.

The worker dies after ``claim_for_push`` committed, either before the Hogia create or after Hogia applied
it but before the ledger recorded it. A kill runs no ``except Exception`` handler, so it is simulated with
a ``BaseException``. No time passes before the retry: the claim (1 h) is still live, and only the
same-run takeover lets the retry settle the order instead of skipping it as "held elsewhere".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import SimResources, at_local, hogia_calls, invoice_counts, make_run, place_orders

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import OrderKey, OrderState, StateStore
from jetshop_hogia.streams.orders import pushing, steps, writing
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]
RUN_ID = "scheduled__2026-11-22T23:00:00+00:00"


class WorkerKilled(BaseException):
    """The task's process died (SIGKILL, OOM): no handler runs, nothing more is recorded."""


def _kill_once(monkeypatch: pytest.MonkeyPatch, *, after_create: bool) -> list[str]:
    """Kill the worker at the first push, before or after the Hogia call; returns the orders killed at."""
    original: Callable[..., Any] = pushing.push_invoice
    killed_at: list[str] = []

    def push_then_die(hogia: Any, body: Any, ref: Any, **kwargs: Any) -> Any:
        if killed_at:
            return original(hogia, body, ref, **kwargs)
        killed_at.append(ref.customer_order_number)
        if after_create:
            result = original(hogia, body, ref, **kwargs)
            assert result.outcome.value == "created"
        raise WorkerKilled(f"killed while pushing {ref.customer_order_number}")

    monkeypatch.setattr(writing, "push_invoice", push_then_die)
    return killed_at


@pytest.mark.parametrize("after_create", [True, False], ids=["after-create", "before-create"])
def test_a_retry_of_the_same_run_settles_the_order_its_killed_try_left_claimed(
    sims: Sims,
    tenant: TenantConfig,
    resources: SimResources,
    store: StateStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    after_create: bool,
) -> None:
    jetshop_sim, hogia_sim = sims
    numbers = [order["order_number"] for order in place_orders(jetshop_sim, 3, at_local(9))]
    run = make_run(tenant, resources, tmp_path / "run", run_id=RUN_ID)
    transformed = steps.transform(run, steps.fetch(run))
    killed_at = _kill_once(monkeypatch, after_create=after_create)

    with pytest.raises(WorkerKilled):
        steps.write(run, transformed)
    [victim] = killed_at
    key = OrderKey(tenant.tenant_id, "alpha", victim)
    with store.transaction() as tx:
        assert tx.ledger.require(key).state is OrderState.PUSHING  # claimed, nothing recorded
    assert invoice_counts(hogia_sim)[victim] == (1 if after_create else 0)
    creates_before_retry = hogia_calls(hogia_sim)["customerinvoices.create"]

    written = steps.write(run, transformed)  # Airflow's retry: same run, claim still live

    counts = invoice_counts(hogia_sim)
    assert {number: counts[number] for number in numbers} == dict.fromkeys(numbers, 1)
    with store.transaction() as tx:
        record = tx.ledger.require(key)
        states = {n: tx.ledger.require(OrderKey(tenant.tenant_id, "alpha", n)).state for n in numbers}
    assert set(states.values()) == {OrderState.PUSHED}
    assert (record.attempts, record.pushed_run_id, record.claim_run_id) == (2, RUN_ID, None)
    retry_creates = hogia_calls(hogia_sim)["customerinvoices.create"] - creates_before_retry
    outcomes = dict(written["counts"])
    if after_create:  # the retry looked the invoice up and found it; it created only the other two
        assert outcomes == {"found": 1, "created": 2}
        assert retry_creates == 2
    else:  # the look-up found nothing, so the retry created it, exactly once
        assert outcomes == {"created": 3}
        assert retry_creates == 3
    assert steps.reconcile(run, written)["status"] == "ok"
