"""What travels between steps: drafts survive JSON exactly; the stream serves the demo tenants."""

from __future__ import annotations

import json
from pathlib import Path

from mapping_context_for_tests import seeded_drafts

from jetshop_hogia.config import load_tenants
from jetshop_hogia.kernel import REGISTRY, Direction
from jetshop_hogia.mapping import CustomerCreate, CustomerMatch
from jetshop_hogia.mapping.draft_codec import draft_from_dict, draft_to_dict

TENANTS = Path(__file__).resolve().parents[2] / "include" / "tenants"


def test_drafts_round_trip_through_json_without_losing_a_digit() -> None:
    drafts = seeded_drafts()
    assert {type(d.customer) for d in drafts} == {CustomerMatch, CustomerCreate}  # both kinds covered

    for draft in drafts:
        text = json.dumps(draft_to_dict(draft))
        back = draft_from_dict(json.loads(text))

        assert back == draft
        assert json.dumps(draft_to_dict(back)) == text  # "2.50" stays "2.50", never 2.5 or a float
        assert back.payload_hash == draft.payload_hash


def test_the_orders_stream_serves_every_flow_and_the_demo_tenants_load() -> None:
    stream = REGISTRY.get("orders")
    loaded = load_tenants(TENANTS, catalog=REGISTRY.catalog())

    assert stream.direction is Direction.JETSHOP_TO_HOGIA
    assert loaded.errors == []
    assert sorted(t.tenant_id for t in loaded.tenants) == ["alpha_shop_led", "beta_erp_led", "gamma_combo"]
