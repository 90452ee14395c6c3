"""Watermarks: forward-only by default, explicit rewind, one kind per watermark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jetshop_hogia.state import TENANT_WIDE, StateStore, WatermarkKindError

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_timestamp_watermark_only_moves_forward(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        assert tx.watermarks.get(tenant, "orders", scope="shop-a") is None
        assert tx.watermarks.advance(tenant, "orders", T0, scope="shop-a", run_id="r1")
        assert not tx.watermarks.advance(tenant, "orders", T0, scope="shop-a", run_id="r2")  # equal
        assert not tx.watermarks.advance(
            tenant, "orders", T0 - timedelta(seconds=1), scope="shop-a", run_id="r3"
        )
        assert tx.watermarks.advance(
            tenant, "orders", T0 + timedelta(microseconds=1), scope="shop-a", run_id="r4"
        )
        watermark = tx.watermarks.get(tenant, "orders", scope="shop-a")
    assert watermark is not None
    assert watermark.value == T0 + timedelta(microseconds=1)
    assert watermark.run_id == "r4"


def test_timestamps_compare_as_instants_whatever_their_zone(store: StateStore, tenant: str) -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    with store.transaction() as tx:
        tx.watermarks.advance(tenant, "orders", datetime(2026, 3, 2, 10, 30, tzinfo=stockholm), run_id="r1")
        # 09:45 UTC is later than 10:30 Stockholm (09:30 UTC)
        assert tx.watermarks.advance(tenant, "orders", datetime(2026, 3, 2, 9, 45, tzinfo=UTC), run_id="r2")
        # 10:40 Stockholm (09:40 UTC) is now behind
        assert not tx.watermarks.advance(
            tenant, "orders", datetime(2026, 3, 2, 10, 40, tzinfo=stockholm), run_id="r3"
        )
        watermark = tx.watermarks.get(tenant, "orders")
    assert watermark is not None
    assert watermark.value == datetime(2026, 3, 2, 9, 45, tzinfo=UTC)
    assert watermark.scope == TENANT_WIDE


def test_integer_watermark_compares_numerically(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.watermarks.advance(tenant, "hogia_articles", 9, run_id="r1")
        assert tx.watermarks.advance(tenant, "hogia_articles", 10, run_id="r2")  # "10" < "9" as text
        assert not tx.watermarks.advance(tenant, "hogia_articles", 2, run_id="r3")
        watermark = tx.watermarks.get(tenant, "hogia_articles")
    assert watermark is not None
    assert watermark.value == 10


def test_text_watermark_and_kind_mismatch(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.watermarks.advance(tenant, "products", "2026-03-02T09:00:00|A-100", run_id="r1")
        assert tx.watermarks.advance(tenant, "products", "2026-03-02T09:00:00|B-001", run_id="r2")
        with pytest.raises(WatermarkKindError, match="holds a text value"):
            tx.watermarks.advance(tenant, "products", 5, run_id="r3")


def test_rewind_is_explicit_and_may_go_back(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.watermarks.advance(tenant, "orders", T0, scope="shop-a", run_id="r1")
        rewound = tx.watermarks.rewind(
            tenant, "orders", T0 - timedelta(days=7), scope="shop-a", run_id="resync"
        )
        assert tx.watermarks.advance(tenant, "orders", T0 - timedelta(days=6), scope="shop-a", run_id="r2")
        created = tx.watermarks.rewind(tenant, "new-stream", 0, run_id="resync")
    assert rewound.value == T0 - timedelta(days=7)
    assert rewound.run_id == "resync"
    assert created.value == 0


def test_scopes_are_independent(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.watermarks.advance(tenant, "orders", T0, scope="shop-a", run_id="r1")
        tx.watermarks.advance(tenant, "orders", T0 - timedelta(days=1), scope="shop-b", run_id="r1")
        values = {w.scope: w.value for w in tx.watermarks.for_tenant(tenant, stream="orders")}
    assert values == {"shop-a": T0, "shop-b": T0 - timedelta(days=1)}


@pytest.mark.parametrize("bad", [datetime(2026, 1, 1), True, 1.5])
def test_invalid_values_are_refused(store: StateStore, tenant: str, bad: object) -> None:
    with pytest.raises((ValueError, TypeError)), store.transaction() as tx:
        tx.watermarks.advance(tenant, "orders", bad, run_id="r1")  # type: ignore[arg-type]
