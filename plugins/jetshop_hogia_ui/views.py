"""From read models to what the templates show: formatted lags, backlog cells, chart series, links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from jetshop_hogia.status import DaySummary, TenantSummary
from jetshop_hogia_ui.chart import Series, bar_chart

LAG_WARNING = timedelta(hours=2)
"""A tenant whose last OK window is older than this is shown as lagging (a 5-15 minute schedule)."""


def humanise(delta: timedelta | None) -> str:
    """``3 min``, ``2 h 5 min``, ``4 d 1 h``; ``never`` for None."""
    if delta is None:
        return "never"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def health_class(summary: TenantSummary, now: datetime) -> str:
    """``bad`` (last reconciliation failed), ``warn`` (quarantine or lag), ``ok`` or ``idle`` (never ran)."""
    health = summary.health
    if health.latest is None:
        return "idle"
    if not health.latest.ok:
        return "bad"
    lag = health.lag(now)
    if health.open_quarantine or (lag is not None and lag > LAG_WARNING):
        return "warn"
    return "ok"


@dataclass(frozen=True)
class Links:
    """URLs of the Airflow UI and of this app, from the request's mount point (works under a base path)."""

    app_root: str
    """This app's root path, e.g. ``/sync-status``."""

    @property
    def ui_root(self) -> str:
        from jetshop_hogia_ui.plugin import URL_PREFIX

        return self.app_root[: -len(URL_PREFIX)] if self.app_root.endswith(URL_PREFIX) else ""

    def dag(self, dag_id: str) -> str:
        """The DAG's page in the Airflow UI (its grid of runs)."""
        return f"{self.ui_root}/dags/{quote(dag_id)}"

    def run(self, dag_id: str, run_id: str) -> str:
        """One DAG run's page in the Airflow UI (where it can be cleared to run again)."""
        return f"{self.ui_root}/dags/{quote(dag_id)}/runs/{quote(run_id, safe='')}"

    def tenant(self, tenant_id: str) -> str:
        return f"{self.app_root}/tenants/{quote(tenant_id)}"

    def release(self, tenant_id: str) -> str:
        return f"{self.app_root}/tenants/{quote(tenant_id)}/release"

    def overview(self, **params: Any) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{self.app_root}/" + (f"?{query}" if query else "")


def counts_chart(days: list[DaySummary]) -> Markup:
    """Orders owed, invoiced once, and out of step (missing + duplicate + different totals), per day."""
    return bar_chart(
        "Orders per day: owed, invoiced, drift",
        [day.day.strftime("%d/%m") for day in days],
        [
            Series("orders", "#6b8fc9", [day.orders for day in days]),
            Series("invoiced", "#3f9d5a", [day.invoiced for day in days]),
            Series("drift", "#d1453b", [day.drift_orders for day in days]),
            Series("quarantined", "#d99a26", [day.quarantined for day in days]),
        ],
        chart_id="chart-orders",
    )


def main_currency(days: list[DaySummary]) -> str | None:
    """The currency with the most expected gross over the days shown (None without amounts)."""
    totals: dict[str, Decimal] = {}
    for day in days:
        for currency, amounts in day.amounts.items():
            totals[currency] = totals.get(currency, Decimal(0)) + amounts.expected
    return max(totals, key=lambda c: totals[c]) if totals else None


def amounts_chart(days: list[DaySummary], currency: str) -> Markup:
    """Gross expected vs invoiced in ``currency`` per day, and the drift between them."""
    zero = Decimal(0)

    def pick(day: DaySummary, what: str) -> Decimal:
        amounts = day.amounts.get(currency)
        return getattr(amounts, what) if amounts is not None else zero

    return bar_chart(
        f"Gross amounts per day ({currency}): orders vs invoices, and drift",
        [day.day.strftime("%d/%m") for day in days],
        [
            Series(f"orders {currency}", "#6b8fc9", [pick(day, "expected") for day in days]),
            Series(f"invoices {currency}", "#3f9d5a", [pick(day, "invoiced") for day in days]),
            Series(f"drift {currency}", "#d1453b", [pick(day, "drift") for day in days]),
        ],
        chart_id="chart-amounts",
    )


def money(value: Decimal) -> str:
    """``12 345.50`` (space as thousands separator, two decimals, as Swedish books write it)."""
    return f"{value:,.2f}".replace(",", " ")
