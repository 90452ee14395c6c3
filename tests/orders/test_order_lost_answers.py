"""200 trials of "applied but response lost" (and resets, 503s, crashes between call and commit).

Each trial places a few orders in its own 10-minute window, lets the Hogia simulator lose answers of
invoice and contact creates (and sometimes break look-ups) at random, and drives the steps the way
Airflow would: write is retried until it settles, sometimes the process "crashes" between the Hogia call
and the ledger commit (``mark_pushed`` raises once), sometimes the whole window is run again later. At the
end of every trial each of its orders must have exactly one invoice in Hogia: no duplicate, none lost.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import (
    SimResources,
    at_local,
    connect,
    invoice_counts,
    make_run,
    place_orders,
)

from jetshop_hogia.kernel import RunWindow, StreamRun
from jetshop_hogia.state import OrderKey, OrderState, StateStore
from jetshop_hogia.state.ledger import OrderLedger
from jetshop_hogia.streams.orders import steps
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

TRIALS = 200
WRITE_ATTEMPTS = 12
"""Write retries per trial while faults are on; after that Hogia "recovers" and one more write runs."""
CREATES = ["customerinvoices.create", "contacts.create"]


class SimulatedCrash(Exception):
    """The worker died after Hogia applied the create and before the ledger committed it."""


class StoreClock:
    """The state store's clock; each retry happens "later", so expired claims can be taken over."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.now = datetime(2026, 11, 23, tzinfo=UTC)

    def __call__(self) -> Any:
        return self.now


def _faults(rng: random.Random, trial: int) -> dict[str, Any]:
    if rng.random() < 0.15:  # a storm: look-ups fail too, so some outcomes stay unknown for a while
        return {
            "lost_response_share": 0.3,
            "reset_share": 0.05,
            "error_503_share": 0.55,
            "operations": [*CREATES, "customerinvoices.list", "contacts.list"],
            "seed": trial,
        }
    lost = rng.uniform(0.2, 0.6)
    reset = rng.uniform(0, 0.15)
    unavailable = rng.uniform(0, 0.25)
    operations = [*CREATES, "customerinvoices.list"] if rng.random() < 0.3 else CREATES
    return {
        "lost_response_share": lost,
        "reset_share": reset,
        "error_503_share": unavailable,
        "operations": operations,
        "seed": trial,
    }


def _crash_once(monkeypatch: pytest.MonkeyPatch, at_call: int) -> None:
    """Make the ``at_call``-th ``mark_pushed`` of this trial raise before it writes anything."""
    original = OrderLedger.mark_pushed
    calls = Counter[str]()

    def crashing(self: OrderLedger, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == at_call:
            raise SimulatedCrash(f"worker died before committing push #{at_call}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(OrderLedger, "mark_pushed", crashing)


def _write_until_settled(run: StreamRun, transformed: dict[str, Any], clock: StoreClock) -> dict[str, Any]:
    for _ in range(WRITE_ATTEMPTS):
        try:
            return steps.write(run, transformed)
        except (steps.OrdersNotSettled, SimulatedCrash):
            clock.now += timedelta(hours=2)  # the retry (or the next run) comes after claims expired
    raise TimeoutError


def _trial(
    trial: int,
    rng: random.Random,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    resources: SimResources,
    clock: StoreClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> list[str]:
    start = at_local(0) + timedelta(minutes=10 * trial)
    window = RunWindow(start, start + timedelta(minutes=10))
    placed = place_orders(jetshop_sim, rng.randint(1, 4), start + timedelta(minutes=5))
    tenant = resources.tenant
    run = make_run(tenant, resources, tmp_path / f"t{trial}", window=window, run_id=f"scheduled__{trial}")
    transformed = steps.transform(run, steps.fetch(run))
    hogia_sim.admin("PUT", "faults", _faults(rng, trial))
    with monkeypatch.context() as patch:
        if rng.random() < 0.3:
            _crash_once(patch, rng.randint(1, len(placed)))
        try:
            written = _write_until_settled(run, transformed, clock)
        except TimeoutError:
            written = None
    hogia_sim.admin("PUT", "faults", {})  # Hogia recovers
    if written is None:
        clock.now += timedelta(hours=2)
        written = steps.write(run, transformed)
    assert steps.reconcile(run, written)["status"] == "ok"
    if rng.random() < 0.2:  # the window is run again later (a backfill): nothing new may appear
        again = make_run(
            tenant, resources, tmp_path / f"t{trial}b", window=window, run_id=f"backfill__{trial}"
        )
        steps.reconcile(again, steps.write(again, steps.transform(again, steps.fetch(again))))
    return [order["order_number"] for order in placed]


@pytest.mark.timeout(900)  # 200 trials of whole runs: about a minute alone, several on a busy machine
def test_lost_answers_at_random_points_never_duplicate_or_lose_an_invoice(
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    hogia_sim.set_rate_limit(None)
    clock = StoreClock()
    outcomes = _count_outcomes(monkeypatch)
    tenant = connect(monkeypatch, jetshop_sim, hogia_sim, tenant_id="lossy")
    rng = random.Random(20261127)
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}", clock=clock) as store:
        store.migrate()
        resources = SimResources(tenant, store)
        numbers: list[str] = []
        for trial in range(TRIALS):
            numbers += _trial(trial, rng, jetshop_sim, hogia_sim, resources, clock, tmp_path, monkeypatch)
        resources.close()
        with store.transaction() as tx:
            states = {n: tx.ledger.require(OrderKey("lossy", "alpha", n)).state for n in numbers}
    counts = invoice_counts(hogia_sim)
    injected = hogia_sim.admin("GET", "calls")["faults_injected"]
    duplicates = {n: counts[n] for n in numbers if counts[n] > 1}
    lost = [n for n in numbers if counts[n] == 0]
    assert (duplicates, lost) == ({}, [])
    assert set(states.values()) == {OrderState.PUSHED}
    assert sum(counts.values()) == len(numbers)
    assert injected.get("lost_response", 0) >= 100, injected  # the trials really lost many answers
    # and every path of the push protocol was taken: answers recovered by look-up, creates that were
    # certainly not applied, outcomes left unknown, and claims taken over after a crash
    assert min(outcomes[k] for k in ("found", "created", "not_created", "unknown", "crash")) > 0, outcomes


def _count_outcomes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the write outcomes of every attempt (the run files keep only the last one)."""
    outcomes = Counter[str]()
    original = steps.write_drafts

    def counting(**kwargs: Any) -> Any:
        try:
            report = original(**kwargs)
        except SimulatedCrash:
            outcomes["crash"] += 1
            raise
        outcomes.update(line.outcome for line in report.orders)
        return report

    monkeypatch.setattr(steps, "write_drafts", counting)
    return outcomes
