"""Drafts of the seeded demo orders, with some customers known and some to be created."""

from __future__ import annotations

from jetshop_hogia.apimodel.jetshop_orders import DISCOUNT_ARTICLE, FREIGHT_ARTICLE, PAYMENT_FEE_ARTICLE
from jetshop_hogia.mapping import ChannelConfig, InvoiceDraft, MappingContext, RoundingMode, transform_orders
from jetshop_hogia_simulators.seed import generate_world


def seeded_drafts() -> list[InvoiceDraft]:
    """Every seeded order of shop beta (SEK and NOK) as a draft; the first five customers exist."""
    world = generate_world(5, orders_per_shop=40)
    shop = next(s for s in world.shops if s.shop_id == "beta")
    context = MappingContext(
        tenant_id="t1",
        shop_id="beta",
        channels={
            c.channel_id: ChannelConfig(channel_id=c.channel_id, currency=c.currency, tag=c.name)
            for c in shop.channels
        },
        known_articles=frozenset(a.article_number for a in world.articles)
        | {FREIGHT_ARTICLE, PAYMENT_FEE_ARTICLE, DISCOUNT_ARTICLE},
        existing_customers={c.email or "": str(100 + i) for i, c in enumerate(world.customers[:5])},
        rounding_mode=RoundingMode.WHOLE_KRONA,
    )
    result = transform_orders(world.orders["beta"], context)
    assert not result.quarantined
    return list(result.drafts)
