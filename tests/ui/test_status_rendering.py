"""The Sync status HTML and chart without Airflow: what the api-server sends, rendered from read models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from jetshop_hogia.state import OrderState
from jetshop_hogia.status import Amounts, DaySummary, Page, TenantHealth, TenantSummary, WindowVerdict
from jetshop_hogia_ui import views
from jetshop_hogia_ui.chart import Series, bar_chart
from jetshop_hogia_ui.rendering import render

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _summary(name: str, *, latest_ok: bool | None, quarantined: int = 0) -> TenantSummary:
    verdict = (
        None if latest_ok is None else WindowVerdict("scheduled__x", NOW - timedelta(minutes=20), latest_ok)
    )
    health = TenantHealth(
        tenant_id="acme",
        backlog=dict.fromkeys(
            (OrderState.SEEN, OrderState.ELIGIBLE, OrderState.PUSHING, OrderState.QUARANTINED), 0
        ),
        quarantine_by_stream={"orders": quarantined} if quarantined else {},
        last_ok=verdict if latest_ok else None,
        latest=verdict,
    )
    return TenantSummary(
        "acme", name, "shop_led", 100, "*/5 * * * *", "Europe/Stockholm", ("orders",), "sync_acme", health
    )


def test_health_colour_follows_the_latest_verdict_quarantine_and_lag() -> None:
    assert views.health_class(_summary("A", latest_ok=None), NOW) == "idle"
    assert views.health_class(_summary("A", latest_ok=False), NOW) == "bad"
    assert views.health_class(_summary("A", latest_ok=True), NOW) == "ok"
    assert views.health_class(_summary("A", latest_ok=True, quarantined=2), NOW) == "warn"
    assert views.health_class(_summary("A", latest_ok=True), NOW + timedelta(hours=3)) == "warn"


def test_overview_escapes_tenant_text_and_links_into_the_airflow_ui() -> None:
    hostile = _summary("<script>alert(1)</script>", latest_ok=True)
    html = render(
        "overview.html",
        app_root="/base/sync-status",
        user_name="ops",
        found=Page([hostile], 1, 50, 1),
        rows=[(hostile, "ok")],
        q="",
        flow="",
        flows=["shop_led"],
        broken=(),
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="/base/dags/sync_acme"' in html  # the UI under a base path, from the mount point
    assert 'href="/base/sync-status/tenants/acme"' in html


def test_chart_draws_one_bar_per_series_and_day_with_negative_drift_below_zero() -> None:
    days = [
        DaySummary(date(2026, 11, 29), 1, 0, 4, 4, 0, 0, 0, 0, {"SEK": Amounts(Decimal(400), Decimal(400))}),
        DaySummary(
            date(2026, 11, 30), 2, 1, 6, 5, 1, 0, 0, 1, {"SEK": Amounts(Decimal(600), Decimal("587.5"))}
        ),
    ]
    counts = str(views.counts_chart(days))
    assert counts.count('class="bar"') == 2 * 4
    assert 'data-series="drift" data-value="1"' in counts
    assert views.main_currency(days) == "SEK"
    amounts = str(views.amounts_chart(days, "SEK"))
    assert 'data-series="drift SEK" data-value="-12.5"' in amounts
    svg = str(bar_chart("t <b>", ["x"], [Series("a&b", "#000", [3])], chart_id="c"))
    assert "t &lt;b&gt;" in svg
    assert "a&amp;b" in svg


def test_humanise_reads_like_a_person() -> None:
    assert views.humanise(None) == "never"
    assert views.humanise(timedelta(minutes=7)) == "7 min"
    assert views.humanise(timedelta(hours=2, minutes=5)) == "2 h 5 min"
    assert views.humanise(timedelta(days=3, hours=4)) == "3 d 4 h"
