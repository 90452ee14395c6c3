"""Assemble invoice drafts (Hogia create bodies, contact bodies, expected totals) for valid orders.

All numbers were computed vectorised in ``allocation``; this module only shapes them: one Python pass
per order to build its dicts, with integer öre turned into Decimal at the very end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from jetshop_hogia.apimodel.jetshop_orders import DISCOUNT_ARTICLE
from jetshop_hogia.mapping.allocation import Allocation
from jetshop_hogia.mapping.context import MappingContext, MatchOn
from jetshop_hogia.mapping.customers import contact_body, customer_keys, normalised_index
from jetshop_hogia.mapping.draft import (
    PENDING_CUSTOMER_NUMBER,
    CustomerAction,
    CustomerCreate,
    CustomerMatch,
    InvoiceDraft,
    OrderKey,
    payload_hash,
)
from jetshop_hogia.mapping.frames import local_invoice_dates
from jetshop_hogia.mapping.rounding import ExpectedTotals, VatRateTotal
from jetshop_hogia.mapping.validate import HELPER_ARTICLES

ADJUSTMENT_TEXT = "Öresjustering"
"""Description of the money rule's per-rate adjustment line (a few öre on the discount helper)."""


def money(ore: Sequence[int] | np.ndarray | pd.Series) -> list[Decimal]:
    """Integer öre → Decimal with two decimals (exact: no float on the way)."""
    return [Decimal(value).scaleb(-2) for value in np.asarray(ore, dtype=np.int64).tolist()]


def quantities(milli: Sequence[int] | np.ndarray | pd.Series) -> list[Decimal]:
    """Thousandths → Decimal, whole numbers without decimals (``2``, ``-1``, ``1.5``)."""
    return [
        Decimal(value // 1000) if value % 1000 == 0 else Decimal(value).scaleb(-3).normalize()
        for value in np.asarray(milli, dtype=np.int64).tolist()
    ]


def _your_reference(orders: pd.DataFrame) -> pd.Series:
    person = (orders["first_name"].fillna("") + " " + orders["last_name"].fillna("")).str.strip()
    person = person.mask(person == "")
    return person.fillna(orders["company_name"])


def _line_records(lines: pd.DataFrame, rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Create-body lines; each takes article and description from its shop row (``lines.src``), the
    money rule's adjustment lines are the discount helper article, named as such (docs/MONEY.md)."""
    source = rows.iloc[lines["src"].to_numpy()].reset_index(drop=True)
    row_type = source["row_type"]
    adjust = (lines["kind"] == "adjust").to_numpy()
    article = np.where(
        row_type.isin(list(HELPER_ARTICLES)), row_type.map(HELPER_ARTICLES), source["article_number"]
    )
    article = np.where(adjust, DISCOUNT_ARTICLE, article)
    description = source["name"].fillna(pd.Series(article, index=source.index)).to_numpy(dtype=object)
    percent = lines["bp"].to_numpy() // 100
    description[adjust] = [f"{ADJUSTMENT_TEXT} {p} % moms" for p in percent[adjust].tolist()]
    table = pd.DataFrame(
        {
            "lineType": "article",
            "articleNumber": article,
            "description": description,
            "quantity": quantities(lines["line_quantity_milli"]),
            "unitPrice": money(lines["unit_price_ore"]),
            "vatPercent": percent.tolist(),
            "discountAmount": money(lines["discount_amount_ore"]),
        }
    )
    return table.to_dict("records")  # type: ignore[return-value]


def _split(values: list[Any], owners: np.ndarray, wanted: np.ndarray) -> list[list[Any]]:
    """Chop ``values`` (sorted by owner) into one list per ``wanted`` owner."""
    starts = np.searchsorted(owners, wanted, side="left")
    ends = np.searchsorted(owners, wanted, side="right")
    return [values[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]


def _expected(allocation: Allocation, orders: pd.DataFrame, wanted: np.ndarray) -> list[ExpectedTotals]:
    rates = allocation.rates.sort_values(["oidx", "bp"], ascending=[True, False], kind="stable")
    rate_items = [
        VatRateTotal(percent, net, vat)
        for percent, net, vat in zip(
            (rates["bp"].to_numpy() // 100).tolist(),
            money(rates["net_ore"]),
            money(rates["vat_ore"]),
            strict=True,
        )
    ]
    per_order = _split(rate_items, rates["oidx"].to_numpy(), wanted)
    totals = allocation.totals.reindex(wanted)
    columns = [
        money(totals[name])
        for name in ("net_ore", "vat_ore", "gross_before_ore", "rounding_ore", "gross_ore")
    ]
    currency = orders["currency"].reindex(wanted).tolist()
    return [
        ExpectedTotals(cur, net, vat, tuple(items), before, rounding, gross)
        for cur, items, net, vat, before, rounding, gross in zip(currency, per_order, *columns, strict=True)
    ]


def build_drafts(
    orders: pd.DataFrame, rows: pd.DataFrame, allocation: Allocation, context: MappingContext
) -> list[InvoiceDraft]:
    """One draft per order of ``orders`` (valid orders only; ``rows`` aligned with ``allocation.lines``)."""
    wanted = orders.index.to_numpy()
    rule = context.customer_rule
    keys = customer_keys(orders, rule.match_on)
    existing = normalised_index(context.existing_customers, rule.match_on)
    invoice_day = local_invoice_dates(orders["order_date"], context.timezone)
    due_day = (invoice_day + timedelta(days=context.payment_terms_days)).dt.strftime("%Y-%m-%d")
    tags = orders["channel_id"].map(
        {cid: f"{context.shop_id}/{ch.invoice_tag}" for cid, ch in context.channels.items()}
    )
    line_lists = _split(_line_records(allocation.lines, rows), allocation.lines["oidx"].to_numpy(), wanted)
    expected = _expected(allocation, orders, wanted)
    order_totals = money(orders["total_ore"])
    headers = pd.DataFrame(
        {
            "customerNumber": keys.map(existing).fillna(PENDING_CUSTOMER_NUMBER),
            "invoiceDate": invoice_day.dt.strftime("%Y-%m-%d"),
            "invoiceExpirationDate": due_day,
            "customerOrderNumber": orders["order_number"],
            "yourReference": _your_reference(orders),
            "currency": orders["currency"],
            "channelTag": tags,
        }
    ).to_dict("records")
    records: list[dict[str, Any]] = orders.to_dict("records")  # type: ignore[assignment]
    drafts: list[InvoiceDraft] = []
    for position, (record, header) in enumerate(zip(records, headers, strict=True)):
        invoice = {**header, "ourReference": context.our_reference, "currency": {"code": header["currency"]}}
        body: dict[str, Any] = {} if context.sequence_id is None else {"sequenceId": context.sequence_id}
        body["customerInvoice"] = {name: value for name, value in invoice.items() if value is not None}
        body["invoiceLines"] = line_lists[position]
        key = keys.iloc[position]
        action: CustomerAction
        if header["customerNumber"] != PENDING_CUSTOMER_NUMBER:
            action = CustomerMatch(header["customerNumber"])
        else:
            number = record["customer_number"] if rule.match_on == MatchOn.CUSTOMER_NUMBER else None
            action = CustomerCreate(
                contact_body(
                    record,
                    currency=header["currency"],
                    payment_terms_days=context.payment_terms_days,
                    number=number,
                )
            )
        drafts.append(
            InvoiceDraft(
                key=OrderKey(context.tenant_id, context.shop_id, record["order_number"]),
                order_id=int(record["order_id"]),
                customer_key=key,
                customer=action,
                body=body,
                expected=expected[position],
                order_total=order_totals[position],
                payload_hash=payload_hash(body, key),
            )
        )
    return drafts
