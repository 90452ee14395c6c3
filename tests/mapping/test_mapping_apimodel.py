"""The drafts are valid Hogia create bodies, and their expected totals are what the Hogia MODEL books."""

from __future__ import annotations

import pydantic
import pytest
from mapping_builders import SEED_ARTICLES

from jetshop_hogia.apimodel.hogia_smart import (
    ContactFields,
    CustomerInvoiceCreate,
    compute_totals,
    price_line,
)
from jetshop_hogia.mapping import (
    ChannelConfig,
    CustomerCreate,
    InvoiceDraft,
    MappingContext,
    RoundingMode,
    bind_customer_numbers,
    transform_orders,
)
from jetshop_hogia_simulators.seed import generate_world


def _seed_drafts(rounding: RoundingMode) -> list[InvoiceDraft]:
    world = generate_world(5, orders_per_shop=60)
    drafts: list[InvoiceDraft] = []
    for shop in world.shops:
        context = MappingContext(
            tenant_id="t1",
            shop_id=shop.shop_id,
            channels={
                c.channel_id: ChannelConfig(channel_id=c.channel_id, currency=c.currency, tag=c.name)
                for c in shop.channels
            },
            known_articles=SEED_ARTICLES,
            rounding_mode=rounding,
            sequence_id="1",
        )
        result = transform_orders(world.orders[shop.shop_id], context)
        assert not result.quarantined, [q.describe() for q in result.quarantined]
        drafts.extend(result.drafts)
    return drafts


@pytest.mark.parametrize("rounding", list(RoundingMode))
def test_bodies_validate_and_totals_match_the_hogia_model(rounding: RoundingMode) -> None:
    drafts = _seed_drafts(rounding)
    bound = bind_customer_numbers(drafts, {d.customer_key: f"K{i}" for i, d in enumerate(drafts)})

    for draft in bound:
        body = CustomerInvoiceCreate.model_validate(draft.body)
        booked = compute_totals([price_line(line) for line in body.invoice_lines], rounding)
        expected = draft.expected.as_hogia()
        assert (booked.net_amount, booked.vat_amount, booked.rounding_amount, booked.gross_amount) == (
            expected["netAmount"],
            expected["vatAmount"],
            expected["roundingAmount"],
            expected["grossAmount"],
        )
        assert [(d.percent, d.net_amount, d.amount) for d in booked.vat_distributions] == [
            (d["percent"], d["netAmount"], d["amount"]) for d in expected["vatDistributions"]
        ]
        assert body.customer_invoice.customer_order_number == draft.key.order_number


def test_contact_bodies_validate() -> None:
    drafts = _seed_drafts(RoundingMode.NONE)
    contacts = [d.customer.contact for d in drafts if isinstance(d.customer, CustomerCreate)]

    assert contacts
    for contact in contacts:
        parsed = ContactFields.model_validate(contact)
        assert parsed.email == contact["email"]
        assert parsed.is_company == contact["isCompany"]


def test_an_unbound_draft_does_not_validate() -> None:
    (draft, *_rest) = _seed_drafts(RoundingMode.NONE)
    with pytest.raises(pydantic.ValidationError):
        CustomerInvoiceCreate.model_validate(draft.body)
