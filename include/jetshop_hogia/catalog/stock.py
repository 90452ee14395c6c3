"""Hogia stock → Jetshop ``StockData``: never negative, a delivery date only when known, a status by rule.

- :func:`stock_count` — Jetshop counts whole units: the Hogia balance rounded *down* (selling half a unit
  that is not there would oversell) and never below 0 (a negative balance is sent as 0 and counted).
- :func:`sellable_balance` — with ``catalog.stock_sellable: subtract_uninvoiced_orders`` the balance less
  the units on shop orders not yet invoiced (Hogia has not drawn them yet); :func:`stock_count` then
  keeps it at 0 or above.
- :func:`delivery_date` — sent only when Hogia knows one: an empty ``DeliveryDate`` faults the whole
  batch (FACT), so an unknown date is simply not sent.
- :func:`stock_status_id` — the tenant's rules (combo): a Hogia status text mapped explicitly wins, then
  in stock / coming (nothing in stock, date known) / out of stock; None leaves the status to Jetshop.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from jetshop_hogia.apimodel.hogia_smart import Article
from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder, RowType
from jetshop_hogia.config.catalog import StockStatusRules


def stock_count(balance: Decimal) -> tuple[int, bool]:
    """Whole units for Jetshop and whether a negative balance was raised to 0."""
    whole = int(balance.to_integral_value(rounding=ROUND_FLOOR))
    return (0, True) if whole < 0 else (whole, False)


def sellable_balance(balance: Decimal, uninvoiced: Decimal) -> Decimal:
    """What the shops may still sell: Hogia's balance less the units shop orders hold uninvoiced."""
    return balance - max(uninvoiced, Decimal(0))


def goods_quantities(order: JetshopOrder) -> dict[str, Decimal]:
    """Units per article on an order's goods rows (freight, fees and discounts hold no stock)."""
    units: dict[str, Decimal] = {}
    for row in order.rows:
        if row.row_type is RowType.PRODUCT and row.article_number:
            units[row.article_number] = units.get(row.article_number, Decimal(0)) + row.quantity
    return units


def delivery_date(known: date | None, timezone: str) -> datetime | None:
    """The restock date as local midnight (aware), or None — then nothing is sent (never an empty value)."""
    return None if known is None else datetime.combine(known, time(0), ZoneInfo(timezone))


def stock_status_id(
    count: int, known_date: date | None, hogia_status: str | None, rules: StockStatusRules
) -> int | None:
    """The Jetshop stock status id by the tenant's rules; None when no rule applies."""
    if hogia_status is not None and hogia_status in rules.by_hogia_status:
        return rules.by_hogia_status[hogia_status]
    if count > 0:
        return rules.in_stock
    if known_date is not None and rules.coming is not None:
        return rules.coming
    return rules.out_of_stock


def stock_payload(
    article: Article,
    *,
    timezone: str,
    rules: StockStatusRules | None,
    uninvoiced: Decimal = Decimal(0),
) -> tuple[dict[str, Any], bool]:
    """The stock payload of one article (``rules`` None: no status is sent) and the clamped flag.

    ``uninvoiced``: units on shop orders not yet invoiced, subtracted when the tenant asked for it.
    """
    count, clamped = stock_count(sellable_balance(article.stock_balance, uninvoiced))
    when = delivery_date(article.delivery_date, timezone)
    payload: dict[str, Any] = {
        "article_number": article.number,
        "count": count,
        "delivery_date": when.isoformat() if when else None,
    }
    if rules is not None:
        payload["status_id"] = stock_status_id(count, article.delivery_date, article.stock_status, rules)
    return payload, clamped


def expected_view(payload: dict[str, Any]) -> dict[str, Any]:
    """What Jetshop should show after the write (status only when one was sent)."""
    view: dict[str, Any] = {"count": payload["count"]}
    if payload.get("status_id") is not None:
        view["status_id"] = payload["status_id"]
    return view
