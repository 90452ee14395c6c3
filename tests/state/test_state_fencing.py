"""The push fence: PostgreSQL advisory locks that exclude other sessions and die with their connection."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from jetshop_hogia.state import OrderKey, StateStore
from jetshop_hogia.state.fencing import AdvisoryLockFence, NoFence, fence_id


def test_fence_ids_are_stable_per_order_and_differ_between_orders() -> None:
    one = OrderKey("t", "alpha", "A1")
    assert fence_id(one) == fence_id(OrderKey("t", "alpha", "A1"))
    assert (
        len({fence_id(one), fence_id(OrderKey("t", "beta", "A1")), fence_id(OrderKey("u", "alpha", "A1"))})
        == 3
    )


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)
def test_sqlite_gets_a_fence_that_excludes_nothing(store: StateStore, key: OrderKey) -> None:
    with store.push_fence() as first, store.push_fence() as second:
        assert isinstance(first, NoFence)
        assert not first.exclusive
        assert first.acquire(key)
        assert second.acquire(key)


@pytest.mark.postgres
@pytest.mark.parametrize("migrated_url", ["postgres"], indirect=True)
def test_a_postgres_fence_excludes_other_sessions_until_released(store: StateStore, key: OrderKey) -> None:
    other = OrderKey(key.tenant_id, key.shop_id, "other")
    with store.push_fence() as first, store.push_fence() as second:
        assert isinstance(first, AdvisoryLockFence)
        assert first.exclusive
        assert first.acquire(key)
        assert first.holds(key)
        assert not second.acquire(key)  # another try is writing this order
        assert not second.holds(key)
        assert second.acquire(other)  # other orders are not affected
        first.release(key)
        assert not first.holds(key)
        assert second.acquire(key)
    with store.push_fence() as third:  # closing released everything
        assert third.acquire(key)
        assert third.acquire(other)


@pytest.mark.postgres
@pytest.mark.parametrize("migrated_url", ["postgres"], indirect=True)
def test_a_postgres_fence_dies_with_its_connection(store: StateStore, key: OrderKey) -> None:
    with store.push_fence() as zombie, store.push_fence() as retry:
        assert zombie.acquire(key)
        pid = zombie._session().execute(text("SELECT pg_backend_pid()")).scalar_one()
        with store.engine.connect() as admin:  # the worker's connection is gone (killed, network lost)
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert not zombie.holds(key)  # so the zombie must not send
        assert retry.acquire(key)  # and the retry may write the order at once
