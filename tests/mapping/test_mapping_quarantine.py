"""Every quarantine reason: the bad order is quarantined with its reason, its neighbours go on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from mapping_builders import (
    ARTICLES,
    PLACED,
    STOCKHOLM,
    context,
    freight,
    order,
    order_discount,
    private,
    row,
)

from jetshop_hogia.mapping import (
    ChannelConfig,
    CustomerRule,
    MappingContext,
    MatchOn,
    ReasonCode,
    transform_orders,
)


def _dump_with(changes: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    raw = order("B2002", (row("1092-10", 1, "135.00"),)).model_dump()
    changes(raw)
    return raw


def _set_row(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(raw: dict[str, Any]) -> None:
        raw["rows"][0][field] = value

    return change


# (id, bad order, context changes, expected code, text fragment)
CASES: list[tuple[str, Any, dict[str, Any], ReasonCode, str]] = [
    (
        "unknown_article",
        order("B2002", (row("2201-xl"),)),
        {},
        ReasonCode.UNKNOWN_ARTICLE,
        "article 2201-xl is not in Hogia",
    ),
    (
        "helper_missing",
        order("B2002", (row("1092-10"), freight())),
        {"known_articles": ARTICLES - {"fraktavg"}},
        ReasonCode.HELPER_ARTICLE_MISSING,
        "freight row needs helper article fraktavg in Hogia",
    ),
    (
        "vat_missing",
        _dump_with(_set_row("vat_rate", None)),
        {},
        ReasonCode.VAT_RATE_MISSING,
        "has no VAT rate",
    ),
    (
        "vat_not_swedish",
        order("B2002", (row("1092-10", 1, "119.00", "0.19"),)),
        {},
        ReasonCode.VAT_RATE_NOT_SWEDISH,
        "VAT 19 % is not a Swedish rate",
    ),
    (
        "vat_not_on_date",
        order("B2002", (row("4100", 1, "89.90", "0.12"),), placed=datetime(1989, 6, 30, 9, tzinfo=STOCKHOLM)),
        {},
        ReasonCode.VAT_RATE_NOT_VALID_ON_DATE,
        "VAT 12 % is not a Swedish rate on 1989-06-30",
    ),
    (
        "zero_quantity",
        order("B2002", (row("1092-10", 0, "135.00"), row("7300", 1, "64.90"))),
        {},
        ReasonCode.NON_POSITIVE_QUANTITY,
        "quantity 0 is not positive",
    ),
    (
        "negative_quantity",
        order("B2002", (row("1092-10", -1, "135.00"), row("7300", 2, "64.90"))),
        {},
        ReasonCode.NON_POSITIVE_QUANTITY,
        "quantity -1 is not positive",
    ),
    (
        "rows_do_not_sum",
        order("B2002", (row("1092-10", 1, "412.50"),), total="412.00"),
        {},
        ReasonCode.ROWS_DO_NOT_SUM,
        "rows sum to 412.50 SEK, order total is 412.00 SEK",
    ),
    (
        "invalid_email",
        order("B2002", customer=private(email="asa@@example")),
        {},
        ReasonCode.INVALID_EMAIL,
        "e-mail address 'asa@@example' is not valid",
    ),
    (
        "no_email",
        order("B2002", customer=private(email=None)),
        {},
        ReasonCode.INVALID_EMAIL,
        "no e-mail address",
    ),
    (
        "unknown_currency",
        order("B2002", currency="USD", channel=3),
        {
            "channels": {
                1: ChannelConfig(channel_id=1, currency="SEK", tag="Sverige"),
                3: ChannelConfig(channel_id=3, currency="USD", tag="US"),
            }
        },
        ReasonCode.UNKNOWN_CURRENCY,
        "currency USD is not allowed",
    ),
    (
        "currency_mismatch",
        order("B2002", currency="NOK", channel=1),
        {},
        ReasonCode.CURRENCY_CHANNEL_MISMATCH,
        "order currency NOK differs from channel currency SEK",
    ),
    (
        "unknown_channel",
        order("B2002", channel=9),
        {},
        ReasonCode.UNKNOWN_CHANNEL,
        "channel 9 is not configured",
    ),
    ("no_rows", order("B2002", ()), {}, ReasonCode.NO_ROWS, "no rows"),
    (
        "missing_customer_number",
        order("B2002", customer=private(number=None)),
        {"customer_rule": CustomerRule(MatchOn.CUSTOMER_NUMBER)},
        ReasonCode.MISSING_CUSTOMER_NUMBER,
        "no customer number",
    ),
    (
        "missing_name",
        order("B2002", customer=private(first_name=None, last_name=None)),
        {},
        ReasonCode.MISSING_CUSTOMER_NAME,
        "neither first nor last name",
    ),
    (
        "company_without_name",
        order("B2002", customer=private(is_company=True)),
        {},
        ReasonCode.MISSING_CUSTOMER_NAME,
        "company customer has no company name",
    ),
    (
        "unknown_customer",
        order("B2002", customer=private(email="ny.kund@example.se")),
        {
            "customer_rule": CustomerRule(create_missing=False),
            "existing_customers": {"Asa.Oberg@example.se": "1001"},
        },
        ReasonCode.UNKNOWN_CUSTOMER,
        "no Hogia customer with email ny.kund@example.se",
    ),
    (
        "discount_row_adds",
        order("B2002", (row("1092-10"), order_discount("20.00"))),
        {},
        ReasonCode.INVALID_ROW_AMOUNT,
        "discount row adds money",
    ),
    (
        "row_total_mismatch",
        order(
            "B2002", (row("1092-10", 2, "135.00").model_copy(update={"total_inc_vat": Decimal("260.00")}),)
        ),
        {},
        ReasonCode.ROW_TOTAL_MISMATCH,
        "total 260.00 ≠ quantity × unit price − discount = 270.00",
    ),
    (
        "malformed_quantity",
        _dump_with(_set_row("quantity", "abc")),
        {},
        ReasonCode.MALFORMED_ORDER,
        "row 1 quantity: 'abc' is not a number",
    ),
    (
        "unknown_row_type",
        _dump_with(_set_row("row_type", "Gift")),
        {},
        ReasonCode.MALFORMED_ORDER,
        "unknown row type Gift",
    ),
]


@pytest.mark.parametrize(
    ("bad", "changes", "code", "fragment"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_one_bad_order_is_quarantined_and_the_batch_goes_on(
    bad: Any, changes: dict[str, Any], code: ReasonCode, fragment: str
) -> None:
    good = [order("A1001"), order("C3003", (row("7300", 3, "64.90"), row("5200", 1, "199.00", "0.06")))]
    result = transform_orders([good[0], bad, good[1]], context(**changes))

    assert [d.key.order_number for d in result.drafts] == ["A1001", "C3003"]
    assert len(result.quarantined) == 1
    quarantined = result.quarantined[0]
    assert (quarantined.order_number, quarantined.tenant_id, quarantined.shop_id) == ("B2002", "t1", "alpha")
    assert code in quarantined.codes
    texts = [reason.text for reason in quarantined.reasons if reason.code is code]
    assert any(fragment in text for text in texts), texts
    assert f"{code.value}: " in quarantined.describe()


def test_every_reason_code_is_covered() -> None:
    covered = {case[3] for case in CASES} | {ReasonCode.PLUGIN_FAILED, ReasonCode.PLUGIN_INVALID_DRAFT}
    assert covered == set(ReasonCode)  # plugin codes are covered in test_mapping_plugins


def test_an_order_lists_all_its_reasons() -> None:
    bad = order(
        "B2002",
        (row("2201-xl", 0, "10.00"), row("4100", 1, "89.90", "0.19")),
        customer=private(email="nope"),
        total="1.00",
    )
    result = transform_orders([bad], context())

    assert not result.drafts
    assert result.quarantined[0].codes == {
        ReasonCode.UNKNOWN_ARTICLE,
        ReasonCode.NON_POSITIVE_QUANTITY,
        ReasonCode.VAT_RATE_NOT_SWEDISH,
        ReasonCode.INVALID_EMAIL,
        ReasonCode.ROWS_DO_NOT_SUM,
    }


def test_one_ore_between_rows_and_total_is_tolerated_and_the_invoice_aims_at_the_total() -> None:
    result = transform_orders([order("A1001", (row("1092-10", 1, "412.50"),), total="412.51")], context())

    (draft,) = result.drafts
    assert draft.expected.gross_before_rounding == Decimal("412.51")


def test_dicts_are_accepted_like_models() -> None:
    model = order("A1001", (row("1092-10", 2, "135.00"), freight()))
    from_model = transform_orders([model], context()).drafts[0]
    from_dict = transform_orders([model.model_dump(mode="json")], context()).drafts[0]

    assert from_dict.body == from_model.body
    assert from_dict.payload_hash == from_model.payload_hash


def test_unreadable_timestamp_and_missing_fields_are_malformed_not_a_crash() -> None:
    naive = order("B2002").model_dump()
    naive["order_date"] = "2026-11-20T12:00:00"
    result = transform_orders([naive, {"rows": []}, 42, order("A1001")], context())

    assert [d.key.order_number for d in result.drafts] == ["A1001"]
    assert all(ReasonCode.MALFORMED_ORDER in q.codes for q in result.quarantined)
    assert "has no time zone" in result.quarantined[0].describe()
    assert len(result.quarantined) == 3


def test_a_repeated_order_is_invoiced_once_from_its_latest_version() -> None:
    old = order("A1001", (row("1092-10", 1, "135.00"),))
    new = order("A1001", (row("1092-10", 2, "135.00"),)).model_copy(
        update={"changed_date": PLACED.replace(hour=13)}
    )
    result = transform_orders([new, old], context())

    (draft,) = result.drafts
    assert draft.lines[0]["quantity"] == 2
    assert [key.order_number for key in result.superseded] == ["A1001"]
    assert not result.quarantined


def test_empty_and_all_bad_batches() -> None:
    assert transform_orders([], context()).drafts == ()
    result = transform_orders([order("B1", ()), order("B2", (row("nope"),))], context())
    assert not result.drafts
    assert {q.order_number for q in result.quarantined} == {"B1", "B2"}


def test_the_local_date_decides_the_vat_day() -> None:
    """22:30 UTC on 30 June 1990 is already 1 July in Stockholm, the first day of the VAT table."""
    ctx: MappingContext = replace(context(), known_articles=ARTICLES)
    first_local_day = datetime.fromisoformat("1990-06-30T22:30:00+00:00")
    last_local_day_before = datetime.fromisoformat("1990-06-30T21:30:00+00:00")
    goods = (row("1092-10", 1, "135.00", "0.25"),)
    result = transform_orders(
        [order("B2002", goods, placed=first_local_day), order("B2003", goods, placed=last_local_day_before)],
        ctx,
    )

    assert [d.invoice["invoiceDate"] for d in result.drafts] == ["1990-07-01"]
    assert [q.order_number for q in result.quarantined] == ["B2003"]
    assert result.quarantined[0].codes == {ReasonCode.VAT_RATE_NOT_VALID_ON_DATE}
    assert "1990-06-30" in result.quarantined[0].describe()


def test_12_percent_stays_valid_during_the_food_cut() -> None:
    """Only food moves to 6 % (2026-04-01 – 2027-12-31); restaurants and hotels keep 12 %."""
    ctx: MappingContext = replace(context(), known_articles=ARTICLES)
    days = ("2026-03-31", "2026-04-01", "2026-11-20", "2027-12-31", "2028-01-01")
    batch = [
        order(
            f"H{index}",
            (row("4500", 2, "1450.00", "0.12"),),
            placed=datetime.fromisoformat(f"{day}T12:00+01:00"),
        )
        for index, day in enumerate(days)
    ]
    result = transform_orders(batch, ctx)

    assert not result.quarantined, [q.describe() for q in result.quarantined]
    assert [d.lines[0]["vatPercent"] for d in result.drafts] == [12] * len(days)
