"""Lossless JSON form of :class:`InvoiceDraft`, so drafts can travel between tasks as files.

The transform writes drafts; the writer and reconciliation read them in other processes (other Airflow
tasks, perhaps retried days later). Money must come back as the same ``Decimal`` (``"2.50"`` stays
``Decimal("2.50")``, never a float, never ``"2.5"``), or the body posted to Hogia and the totals it is
checked against would drift. Decimals inside the body are therefore tagged (``{"$decimal": "2.50"}``)
instead of guessing by field name: plugins may add amount fields this module does not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jetshop_hogia.mapping.draft import CustomerAction, CustomerCreate, CustomerMatch, InvoiceDraft, OrderKey
from jetshop_hogia.mapping.rounding import ExpectedTotals, VatRateTotal

DECIMAL_TAG = "$decimal"
FORMAT_VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {DECIMAL_TAG: str(value)}
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {DECIMAL_TAG}:
            return Decimal(value[DECIMAL_TAG])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _totals_to_dict(totals: ExpectedTotals) -> dict[str, Any]:
    return {
        "currency": totals.currency,
        "net": str(totals.net),
        "vat": str(totals.vat),
        "vat_by_rate": [
            {"percent": rate.percent, "net": str(rate.net), "vat": str(rate.vat)}
            for rate in totals.vat_by_rate
        ],
        "gross_before_rounding": str(totals.gross_before_rounding),
        "rounding_amount": str(totals.rounding_amount),
        "gross": str(totals.gross),
    }


def totals_from_dict(data: Mapping[str, Any]) -> ExpectedTotals:
    """The :class:`ExpectedTotals` written by :func:`draft_to_dict`."""
    return ExpectedTotals(
        currency=data["currency"],
        net=Decimal(data["net"]),
        vat=Decimal(data["vat"]),
        vat_by_rate=tuple(
            VatRateTotal(int(rate["percent"]), Decimal(rate["net"]), Decimal(rate["vat"]))
            for rate in data["vat_by_rate"]
        ),
        gross_before_rounding=Decimal(data["gross_before_rounding"]),
        rounding_amount=Decimal(data["rounding_amount"]),
        gross=Decimal(data["gross"]),
    )


def draft_to_dict(draft: InvoiceDraft) -> dict[str, Any]:
    """Plain JSON data (no Decimal left) that :func:`draft_from_dict` turns back into an equal draft."""
    customer: dict[str, Any]
    if isinstance(draft.customer, CustomerMatch):
        customer = {"match": draft.customer.number}
    else:
        customer = {"create": _encode(draft.customer.contact)}
    return {
        "format": FORMAT_VERSION,
        "key": list(draft.key),
        "order_id": draft.order_id,
        "customer_key": draft.customer_key,
        "customer": customer,
        "body": _encode(draft.body),
        "expected": _totals_to_dict(draft.expected),
        "order_total": str(draft.order_total),
        "payload_hash": draft.payload_hash,
    }


def draft_from_dict(data: Mapping[str, Any]) -> InvoiceDraft:
    """The draft :func:`draft_to_dict` described; refuses data written by a newer format."""
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"invoice draft format {data.get('format')!r} is not {FORMAT_VERSION}")
    raw_customer = data["customer"]
    customer: CustomerAction = (
        CustomerMatch(raw_customer["match"])
        if "match" in raw_customer
        else CustomerCreate(_decode(raw_customer["create"]))
    )
    return InvoiceDraft(
        key=OrderKey(*data["key"]),
        order_id=int(data["order_id"]),
        customer_key=data["customer_key"],
        customer=customer,
        body=_decode(data["body"]),
        expected=totals_from_dict(data["expected"]),
        order_total=Decimal(data["order_total"]),
        payload_hash=data["payload_hash"],
    )
