"""The catalog rule functions: prices with öre, campaigns, stock, VAT codes, hashing, drift, schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from jetshop_hogia.apimodel.hogia_smart import Article, ArticlePrice, CampaignPrice
from jetshop_hogia.catalog.drift import DriftKind, compare_views
from jetshop_hogia.catalog.hashing import payload_hash
from jetshop_hogia.catalog.prices import PriceProblem, expected_view, price_row, whole_units
from jetshop_hogia.catalog.products import ProductProblem, vat_code_for_rate
from jetshop_hogia.catalog.schedule import full_compare_due
from jetshop_hogia.catalog.stock import stock_count, stock_payload, stock_status_id
from jetshop_hogia.config.catalog import OrePolicy, StockStatusRules

DAY = date(2026, 11, 24)
RATE = Decimal("0.25")


def _article(price: str, campaign: CampaignPrice | None = None, **extra: object) -> Article:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    return Article.model_validate(
        {
            "id": "a1",
            "rowVersion": 7,
            "createdDate": now,
            "updatedDate": now,
            "number": "1092-10",
            "name": "Nigella",
            "prices": [ArticlePrice(price=Decimal(price))],
            "campaignPrice": campaign,
            **extra,
        }
    )


def _row(article: Article, policy: OrePolicy = OrePolicy.QUARANTINE) -> object:
    return price_row(
        article,
        price_list_id="972a8469-1641-4f82-8b9d-2434e465e150",
        currency="SEK",
        company_currency="SEK",
        day=DAY,
        timezone="Europe/Stockholm",
        policy=policy,
    )


@pytest.mark.parametrize(("ex_vat", "whole"), [("108.00", 135), ("98.40", 123), ("0.80", 1), ("399.20", 499)])
def test_whole_krona_prices_are_sent_exactly(ex_vat: str, whole: int) -> None:
    assert whole_units(Decimal(ex_vat), RATE, OrePolicy.QUARANTINE, "price") == (whole, None)


def test_a_price_with_ore_is_quarantined_by_default_and_rounded_half_up_only_when_configured() -> None:
    with pytest.raises(PriceProblem) as problem:
        whole_units(Decimal("199.60"), RATE, OrePolicy.QUARANTINE, "price")  # 249.50 incl. VAT
    assert problem.value.code == "price_has_ore"
    assert "249.50" in problem.value.text
    assert whole_units(Decimal("199.60"), RATE, OrePolicy.ROUND_HALF_UP, "price") == (
        250,
        "price 249.50 sent as 250 (+0.50)",
    )
    assert whole_units(Decimal("199.59"), RATE, OrePolicy.ROUND_HALF_UP, "price")[0] == 249  # 249.49


def test_no_campaign_and_an_ended_campaign_are_both_minus_one() -> None:
    ended = CampaignPrice(price=Decimal("80.00"), valid_to=date(2026, 11, 23))
    assert _row(_article("108.00")).campaign_inc_vat == -1  # type: ignore[attr-defined]
    assert _row(_article("108.00", ended)).campaign_inc_vat == -1  # type: ignore[attr-defined]


def test_a_campaign_span_runs_from_local_midnight_to_the_last_second_of_its_last_day() -> None:
    campaign = CampaignPrice(
        price=Decimal("80.00"), valid_from=date(2026, 11, 20), valid_to=date(2026, 11, 30)
    )
    row = _row(_article("108.00", campaign))
    assert row.payload()["campaign_inc_vat"] == 100  # type: ignore[attr-defined]
    assert row.payload()["start"] == "2026-11-20T00:00:00+01:00"  # type: ignore[attr-defined]
    assert row.payload()["end"] == "2026-11-30T23:59:59+01:00"  # type: ignore[attr-defined]


def test_no_price_in_the_channel_currency_is_a_problem_not_a_zero() -> None:
    with pytest.raises(PriceProblem) as problem:
        price_row(
            _article("108.00"),
            price_list_id="x",
            currency="NOK",
            company_currency="SEK",
            day=DAY,
            timezone="Europe/Stockholm",
            policy=OrePolicy.QUARANTINE,
        )
    assert problem.value.code == "no_price_in_currency"


def test_expected_view_predicts_what_jetshop_stores_including_the_minus_one_quirk() -> None:
    payload = _row(_article("98.40")).payload()  # type: ignore[attr-defined]
    assert expected_view(payload) == {"price": Decimal("98.4000"), "campaign": None}


def test_stock_is_whole_units_rounded_down_and_never_negative() -> None:
    assert stock_count(Decimal("12.9")) == (12, False)
    assert stock_count(Decimal("-0.5")) == (0, True)
    payload, clamped = stock_payload(
        _article("1.00", stockBalance=-4, deliveryDate="2026-12-05"), timezone="Europe/Stockholm", rules=None
    )
    assert (payload["count"], payload["delivery_date"], clamped) == (0, "2026-12-05T00:00:00+01:00", True)
    assert "status_id" not in payload  # erp_led: no status rules
    unknown, _ = stock_payload(_article("1.00", stockBalance=3), timezone="Europe/Stockholm", rules=None)
    assert unknown["delivery_date"] is None


def test_stock_status_rules() -> None:
    rules = StockStatusRules(in_stock=1, out_of_stock=2, coming=9, by_hogia_status={"Utgått": 3})
    assert stock_status_id(5, None, None, rules) == 1
    assert stock_status_id(0, None, None, rules) == 2
    assert stock_status_id(0, date(2026, 12, 5), None, rules) == 9
    assert stock_status_id(5, None, "Utgått", rules) == 3
    assert stock_status_id(5, None, None, StockStatusRules()) is None


def test_vat_code_for_a_rate_keeps_an_existing_code_and_refuses_to_guess() -> None:
    assert vat_code_for_rate(Decimal("0.25"), DAY, None) == "MP1"
    assert vat_code_for_rate(Decimal("0.06"), DAY, "MP2") == "MP2"  # food at 6 % from 2026-04-01
    with pytest.raises(ProductProblem) as problem:
        vat_code_for_rate(Decimal("0.06"), DAY, None)
    assert problem.value.code == "ambiguous_vat_rate"
    assert vat_code_for_rate(Decimal("0.06"), date(2026, 3, 1), None) == "MP3"  # food was 12 % then


def test_payload_hash_ignores_key_order_trailing_zeros_and_underscore_keys() -> None:
    base = payload_hash({"a": Decimal("1.50"), "b": "x"})
    assert base == payload_hash({"b": "x", "a": Decimal("1.5")})
    assert base == payload_hash({"a": Decimal("1.5"), "b": "x", "_new_name": "only once"})
    assert base != payload_hash({"a": Decimal("1.51"), "b": "x"})


def test_compare_views_names_missing_differing_and_extra_items() -> None:
    expected = {"a": {"count": 1}, "b": {"count": 2}, "c": {"count": 3}}
    actual = {"a": {"count": 1}, "b": {"count": 5}, "z": {"count": 0}}
    report = compare_views(expected, actual, report_extra=True)
    assert (report.compared, report.matched) == (3, 1)
    assert {(d.key, d.kind) for d in report.drifts} == {
        ("b", DriftKind.DIFFERS),
        ("c", DriftKind.MISSING_IN_TARGET),
        ("z", DriftKind.MISSING_IN_SOURCE),
    }
    assert next(d for d in report.drifts if d.key == "b").fields == (("count", "2", "5"),)


def test_full_compare_is_due_once_per_fire_time_of_the_cron() -> None:
    def due(start: str, end: str) -> bool:
        return full_compare_due(
            "0 2 * * *", datetime.fromisoformat(start), datetime.fromisoformat(end), "Europe/Stockholm"
        )

    assert due("2026-11-24T01:55:00+01:00", "2026-11-24T02:00:00+01:00") is False  # end is exclusive
    assert due("2026-11-24T02:00:00+01:00", "2026-11-24T02:05:00+01:00") is True
    assert due("2026-11-24T01:00:00+00:00", "2026-11-24T01:05:00+00:00") is True  # 02:00 local
    assert due("2026-11-24T10:00:00+01:00", "2026-11-24T10:15:00+01:00") is False
