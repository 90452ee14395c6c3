"""Property tests of the window logic: page boundaries and late updates (DST days: test_order_windows_dst).

- equal ``ChangedDate`` values straddling page boundaries are neither lost nor read twice (the hook's
  keyset paging against the simulator's change list, through the real SOAP codec);
- updates that become visible late (committed after the run that owned their timestamp had read the list)
  are caught by the next run thanks to the overlap, land in a later window and are pushed exactly once.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inprocess_jetshop import InProcessShop
from orders_helpers import connect_tenant_data

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, OrderHeader
from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.streams.orders.fetching import fetch_shop
from jetshop_hogia.streams.orders.windows import (
    DEFAULT_OVERLAP,
    owns,
)
from jetshop_hogia_simulators.jetshop.simulator import JetshopSimulator
from jetshop_hogia_simulators.seed import generate_order, generate_world

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
WORLD = generate_world(7, orders_per_shop=0)
TEMPLATE = generate_order(random.Random(1), generate_world(7, orders_per_shop=0), WORLD.shops[0], T0)


def _order(order_id: int, changed: datetime, status: int) -> JetshopOrder:
    return TEMPLATE.model_copy(
        update={
            "order_id": order_id,
            "order_number": f"A{order_id}",
            "changed_date": changed,
            "status_id": status,
        }
    )


# --- equal timestamps across page boundaries ----------------------------------------------------------

_SIMULATOR = JetshopSimulator(world=generate_world(7, orders_per_shop=0), start=T0)


@settings(max_examples=60, deadline=None)
@given(
    stamps=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from([1, 2, 2, 3])),  # few distinct seconds: many ties
        min_size=0,
        max_size=40,
    ),
    page_size=st.integers(1, 6),
    window=st.tuples(st.integers(0, 5), st.integers(1, 6)),
)
def test_equal_timestamps_across_page_boundaries_are_read_exactly_once(
    stamps: list[tuple[int, int]], page_size: int, window: tuple[int, int]
) -> None:
    orders = {
        1000 + i: _order(1000 + i, T0 + timedelta(seconds=s), status) for i, (s, status) in enumerate(stamps)
    }
    _SIMULATOR.state.shops["alpha"].orders = dict(
        random.Random(len(stamps)).sample(sorted(orders.items()), len(orders))
    )
    start, end = T0 + timedelta(seconds=window[0]), T0 + timedelta(seconds=window[0] + window[1])

    headers = list(InProcessShop(_SIMULATOR).iter_changed_orders(start, end, [2, 3], page_size=page_size))

    expected = sorted(
        (o.changed_date, o.order_id)
        for o in orders.values()
        if start <= o.changed_date < end and o.status_id in (2, 3)
    )
    assert [(h.changed_date, h.order_id) for h in headers] == expected


# --- late updates: the overlap catches them, the ledger pushes once ---------------------------------


@dataclass
class LateShop:
    """A change list whose entries become visible ``delay`` after their ``ChangedDate`` stamp."""

    events: list[tuple[int, datetime, timedelta]]  # (order id, changed date, commit delay)
    now: datetime = T0
    calls: list[tuple[datetime, datetime]] = field(default_factory=list)

    def _current(self) -> dict[int, datetime]:
        latest: dict[int, datetime] = {}
        for order_id, changed, delay in sorted(self.events, key=lambda e: e[1]):
            if changed + delay <= self.now:
                latest[order_id] = changed
        return latest

    def iter_changed_orders(
        self,
        window_from: datetime,
        window_to: datetime,
        status_ids: Any = (),
        channel_ids: Any = (),
        page_size: int = 100,
    ) -> Iterator[OrderHeader]:
        self.calls.append((window_from, window_to))
        for order_id, changed in sorted(self._current().items(), key=lambda item: (item[1], item[0])):
            if window_from <= changed < window_to:
                yield OrderHeader(
                    order_id=order_id,
                    order_number=f"A{order_id}",
                    channel_id=1,
                    status_id=2,
                    changed_date=changed,
                )

    def get_order(self, order_id: int) -> JetshopOrder | None:
        changed = self._current().get(order_id)
        return None if changed is None else _order(order_id, changed, 2)


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('windows') / 'state.db'}"
    with StateStore(url) as store:
        store.migrate()
    return url


def _run_windows(
    shop: LateShop, tenant: TenantConfig, store: StateStore, lag: timedelta, overlap: timedelta
) -> Counter[int]:
    """Fifteen-minute runs, each after its window closed; an order counts as pushed the first time a
    run sees it unpushed (what the ledger's claim guarantees), later sightings are skipped."""
    pushed: Counter[int] = Counter()
    for k in range(12):
        window = RunWindow(T0 + timedelta(minutes=15 * k), T0 + timedelta(minutes=15 * (k + 1)))
        shop.now = window.end + lag
        fetched = fetch_shop(
            tenant=tenant,
            shop=tenant.shops[0],
            jetshop=shop,
            store=store,
            window=window,
            run_id=f"run{k}",
            overlap=overlap,
        )
        with store.transaction() as tx:
            for order in fetched.orders:
                key = OrderKey(tenant.tenant_id, "alpha", order.order_number)
                if tx.ledger.require(key).state.value == "seen":
                    tx.ledger.mark_eligible(key, run_id=f"run{k}")
        for order in fetched.orders:
            key = OrderKey(tenant.tenant_id, "alpha", order.order_number)
            claim = store.claim_for_push(key, run_id=f"run{k}")
            if claim is not None:
                with store.transaction() as tx:
                    tx.ledger.mark_pushed(claim, f"inv-{order.order_id}")
                pushed[order.order_id] += 1
    return pushed


_event = st.tuples(
    st.integers(0, 9), st.integers(0, 150 * 60), st.integers(0, int(DEFAULT_OVERLAP.total_seconds()))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_event, min_size=1, max_size=25), lag=st.integers(0, 60))
def test_late_updates_land_in_a_later_window_and_are_pushed_once(
    ledger_url: str, events: list[tuple[int, int, int]], lag: int
) -> None:
    tenant = TenantConfig.model_validate(connect_tenant_data(f"t{uuid.uuid4().hex[:10]}"))
    shop = LateShop([(2000 + o, T0 + timedelta(seconds=s), timedelta(seconds=d)) for o, s, d in events])
    with StateStore(ledger_url) as store:
        pushed = _run_windows(shop, tenant, store, timedelta(seconds=lag), DEFAULT_OVERLAP)
        with store.transaction() as tx:
            recorded = {r.key.order_number: r.order_changed_at for r in tx.ledger.orders(tenant.tenant_id)}

    assert pushed == Counter({2000 + o: 1 for o, _, _ in events})  # every order, exactly once
    windows = [
        RunWindow(T0 + timedelta(minutes=15 * k), T0 + timedelta(minutes=15 * (k + 1))) for k in range(12)
    ]
    latest = {
        f"A{2000 + o}": max(T0 + timedelta(seconds=s) for oo, s, _ in events if oo == o) for o, _, _ in events
    }
    for number, changed_at in recorded.items():
        assert changed_at == latest[number]  # the latest sighting decides the window …
        assert sum(owns(window, changed_at) for window in windows) == 1  # … and exactly one window owns it


def test_without_the_overlap_a_late_commit_falls_between_two_runs(ledger_url: str) -> None:
    late = [(3000, T0 + timedelta(minutes=14, seconds=50), timedelta(seconds=30))]  # visible after run 0
    for overlap, expected in ((timedelta(0), Counter()), (DEFAULT_OVERLAP, Counter({3000: 1}))):
        tenant = TenantConfig.model_validate(connect_tenant_data(f"t{uuid.uuid4().hex[:10]}"))
        with StateStore(ledger_url) as store:
            assert (
                _run_windows(LateShop(list(late)), tenant, store, timedelta(seconds=5), overlap) == expected
            )
