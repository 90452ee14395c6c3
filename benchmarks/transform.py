"""Benchmark: order → invoice-draft transform throughput (orders/s) on seeded demo orders.

Baseline, measured in the same run: how many orders/s the machine can merely ``model_dump()`` —
pure per-object Python work of the same size — so the ratio says what the transform costs relative
to touching each order once, independent of how fast the machine is.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from jetshop_hogia.apimodel.jetshop_orders import (
    DISCOUNT_ARTICLE,
    FREIGHT_ARTICLE,
    PAYMENT_FEE_ARTICLE,
    JetshopOrder,
)
from jetshop_hogia.mapping import ChannelConfig, MappingContext, RoundingMode, transform_orders
from jetshop_hogia_simulators.seed import DEFAULT_START, generate_order, generate_world

BATCH = 5_000


def _orders(count: int) -> tuple[list[JetshopOrder], MappingContext]:
    world = generate_world(7, orders_per_shop=0)
    shop = next(s for s in world.shops if s.shop_id == "beta")
    rng = random.Random(7)
    orders = [generate_order(rng, world, shop, DEFAULT_START - timedelta(minutes=i)) for i in range(count)]
    context = MappingContext(
        tenant_id="bench",
        shop_id=shop.shop_id,
        channels={
            c.channel_id: ChannelConfig(channel_id=c.channel_id, currency=c.currency, tag=c.name)
            for c in shop.channels
        },
        known_articles=frozenset(a.article_number for a in world.articles)
        | {FREIGHT_ARTICLE, PAYMENT_FEE_ARTICLE, DISCOUNT_ARTICLE},
        rounding_mode=RoundingMode.WHOLE_KRONA,
    )
    return orders, context


def _rate(work: Callable[[], Any], per_call: int, duration_s: float) -> float:
    """Orders per second of ``work`` repeated for at least ``duration_s`` (at least twice)."""
    calls, started = 0, time.perf_counter()
    while calls < 2 or time.perf_counter() - started < duration_s:
        work()
        calls += 1
    return calls * per_call / (time.perf_counter() - started)


def run(duration_s: float = 5.0) -> dict[str, Any]:
    """Orders/s of ``transform_orders`` on batches of 5 000 orders, against the ``model_dump`` baseline."""
    orders, context = _orders(BATCH)
    result = transform_orders(orders[:200], context)  # warm-up (imports, pandas caches)
    value = _rate(lambda: transform_orders(orders, context), BATCH, duration_s)
    baseline = _rate(lambda: [order.model_dump() for order in orders], BATCH, max(duration_s / 2, 0.5))
    return {
        "name": "transform orders→invoice drafts",
        "value": value,
        "unit": "orders/s",
        "baseline": baseline,
        "ratio": value / baseline,
        "notes": f"batch {BATCH} seeded orders (2 channels, wholeKrona), warm-up drafts {len(result.drafts)};"
        " baseline = JetshopOrder.model_dump() per order",
    }


if __name__ == "__main__":
    print(run())
