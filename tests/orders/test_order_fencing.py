"""Two tries writing one window at the same time, on PostgreSQL, with lost answers: never two invoices.

The case the ledger's claims alone could not cover (issue 8: 1, 8 and 5 duplicates per 200 orders): a
zombie try — Airflow lost track of it, it still runs — and its retry, both of the *same* run, so the
retry takes the zombie's live claim over and both may look up, find nothing and create. The push fence
(a PostgreSQL advisory lock per order held across look-up and create) must keep them apart; two
*different* runs on one window must stay safe as well. Each round starts both tries together (threads,
each with its own hooks, as two worker processes would have); Hogia loses a third of the invoice-create
answers; rounds repeat, "later" each time, until every order is settled.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from orders_helpers import SimResources, at_local, connect, invoice_counts, make_run, place_orders
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.state import OrderKey, OrderState, StateStore
from jetshop_hogia.state.fencing import AdvisoryLockFence
from jetshop_hogia.streams.orders import steps
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

ORDERS = 40
ROUNDS = 8
TRIES = 2

pytestmark = pytest.mark.postgres


class StoreClock:
    """The store's clock, moved on between rounds so that claims left by lost answers expire."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL schema of this test (dropped afterwards)."""
    schema = f"fence_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield (
        make_url(postgres_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _count_outcomes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    original = steps.write_drafts

    def counting(**kwargs: Any) -> Any:
        report = original(**kwargs)
        with lock:
            outcomes.update(line.outcome for line in report.orders)
        return report

    monkeypatch.setattr(steps, "write_drafts", counting)
    return outcomes


def _round(
    tenant: Any, store: StateStore, transformed: dict[str, Any], run_ids: list[str], tmp_path: Path, n: int
) -> list[bool]:
    """Both tries at once; True for each try that settled everything."""
    start = threading.Barrier(len(run_ids))
    settled = [False] * len(run_ids)
    errors: list[BaseException] = []

    def one_try(index: int) -> None:
        resources = SimResources(tenant, store)
        run = make_run(tenant, resources, tmp_path / f"r{n}-t{index}", run_id=run_ids[index])
        try:
            start.wait()
            steps.write(run, transformed)
            settled[index] = True
        except steps.OrdersNotSettled:
            pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            resources.close()

    threads = [threading.Thread(target=one_try, args=(i,)) for i in range(len(run_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    return settled


@pytest.mark.parametrize("same_run", [True, False], ids=["a zombie and its retry", "two runs of one window"])
def test_concurrent_tries_with_lost_answers_bill_every_order_exactly_once(
    same_run: bool,
    pg_url: str,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    hogia_sim.set_rate_limit(None)
    tenant = connect(monkeypatch, jetshop_sim, hogia_sim, tenant_id="fenced")
    clock = StoreClock()
    outcomes = _count_outcomes(monkeypatch)
    window = RunWindow(at_local(10), at_local(11))
    placed = place_orders(jetshop_sim, ORDERS, at_local(10, 30))
    numbers = [order["order_number"] for order in placed]
    run_ids = ["scheduled__w"] * TRIES if same_run else [f"scheduled__w{i}" for i in range(TRIES)]
    with StateStore(pg_url, clock=clock) as store:
        store.migrate()
        with store.push_fence() as fence:
            assert isinstance(fence, AdvisoryLockFence)
        first = SimResources(tenant, store)
        run = make_run(tenant, first, tmp_path / "fetch", window=window, run_id=run_ids[0])
        transformed = steps.transform(run, steps.fetch(run))
        first.close()
        hogia_sim.admin(
            "PUT",
            "faults",
            {
                "lost_response_share": 0.35,
                "operations": ["customerinvoices.create"],
                "latency_ms_median": 15,  # every call: the tries' look-ups and creates interleave
                "latency_ms_p95": 60,
                "seed": 8 + same_run,
            },
        )
        for n in range(ROUNDS):
            if all(_round(tenant, store, transformed, run_ids, tmp_path, n)):
                break
            clock.now += timedelta(hours=2)  # the retries come after claims and waits expired
        hogia_sim.admin("PUT", "faults", {})
        clock.now += timedelta(hours=2)
        assert all(_round(tenant, store, transformed, run_ids, tmp_path, ROUNDS))
        with store.transaction() as tx:
            states = {tx.ledger.require(OrderKey("fenced", "alpha", n)).state for n in numbers}
    counts = invoice_counts(hogia_sim)
    duplicates = {number: counts[number] for number in numbers if counts[number] > 1}
    lost = [number for number in numbers if counts[number] == 0]
    assert (duplicates, lost) == ({}, [])
    assert states == {OrderState.PUSHED}
    assert hogia_sim.admin("GET", "calls")["faults_injected"].get("lost_response", 0) > 0
    # the tries really met: one was kept out of an order the other was writing at that moment
    assert outcomes["fenced"] > 0, outcomes
