"""Vectorisation sanity: a 10 000-order batch goes through (speed is measured in benchmarks/)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from mapping_builders import SEED_ARTICLES

from jetshop_hogia.mapping import ChannelConfig, MappingContext, ReasonCode, RoundingMode, transform_orders
from jetshop_hogia_simulators.seed import DEFAULT_START, generate_order, generate_world


def test_ten_thousand_generated_orders_with_a_few_bad_ones() -> None:
    world = generate_world(11, orders_per_shop=0)
    shop = next(s for s in world.shops if s.shop_id == "beta")
    rng = random.Random(11)
    orders = [generate_order(rng, world, shop, DEFAULT_START - timedelta(minutes=i)) for i in range(10_000)]
    bad_positions = set(range(7, 10_000, 500))
    for position in bad_positions:
        first = orders[position].rows[0].model_copy(update={"article_number": "finns-inte"})
        orders[position] = orders[position].model_copy(update={"rows": (first, *orders[position].rows[1:])})
    context = MappingContext(
        tenant_id="t1",
        shop_id="beta",
        channels={
            1: ChannelConfig(channel_id=1, currency="SEK", tag="Sverige"),
            2: ChannelConfig(channel_id=2, currency="NOK", tag="Norge"),
        },
        known_articles=SEED_ARTICLES,
        rounding_mode=RoundingMode.WHOLE_KRONA,
    )

    result = transform_orders(orders, context)

    assert len(result.drafts) == 10_000 - len(bad_positions)
    assert {q.order_number for q in result.quarantined} == {orders[p].order_number for p in bad_positions}
    assert all(q.codes == {ReasonCode.UNKNOWN_ARTICLE} for q in result.quarantined)
    assert all(
        abs(d.expected.gross_before_rounding - d.order_total) <= Decimal("0.01") for d in result.drafts
    )
    assert {d.invoice["currency"]["code"] for d in result.drafts} == {"SEK", "NOK"}
    assert len({d.payload_hash for d in result.drafts}) == len(result.drafts)
