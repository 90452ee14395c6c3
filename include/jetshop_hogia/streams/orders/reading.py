"""How the order stream reads one order poison-proof: what a failed ``Order_Get`` means, and quarantine.

The generic part (read record by record, bounded retries of unreadable answers, the books) is
:mod:`jetshop_hogia.streams.intake`; this module is what only the order stream knows:

- :func:`classify_order_error` — a value that does not fit the model (the hook's decoder failed on one
  element: ``Quantity`` = ``'abc'``) rejects that order now; an answer that is not SOAP at all, an oversized
  one or a transport failure is *unreadable* (retried in later runs, quarantined after a few);
  authentication errors and programming errors stop the fetch (they are not about one order).
- :func:`check_identity` — ``Order_Get`` must answer with the order asked for.
- :func:`quarantine_rejections` — rejected orders go into the ledger as ``quarantined`` under their
  order number, with the field and value at fault (never personal data), so reconcile names them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime

from jetshop_hogia import soap
from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder
from jetshop_hogia.apimodel.jetshop_orders_fields import reportable_value
from jetshop_hogia.errors import AuthenticationError, TransientError, TransportError
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, OrderState, StateStore, StateTransaction
from jetshop_hogia.streams.intake import ID_MISMATCH, UNREADABLE_RECORD, Problem, Rejection, Unreadable

log = logging.getLogger(__name__)

ORDER_GET = "Order_Get"
NOT_MOVABLE = frozenset({OrderState.PUSHED, OrderState.PUSHING})
"""Ledger states a fetch-time rejection must not move (an invoice exists or may be being created)."""


def _value_error(exc: BaseException) -> soap.XmlValueError | None:
    """The decoder's ``XmlValueError`` behind a hook error, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, soap.XmlValueError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def classify_order_error(order_id: int, label: str | None, exc: Exception) -> Problem:
    """A rejection (quarantine now) or an unreadable answer (retry in later runs); re-raises the rest."""
    if isinstance(exc, AuthenticationError):
        raise exc
    bad_value = _value_error(exc)
    if bad_value is not None:
        return Rejection(
            str(order_id),
            label,
            UNREADABLE_RECORD,
            field=bad_value.element_name,
            value=reportable_value(bad_value.element_name, bad_value.value),
            detail=f"not a valid {bad_value.xsd_type}",
        )
    if isinstance(exc, TransportError):
        status = f" HTTP {exc.status}" if exc.status is not None else ""
        cause = exc.__cause__ or exc.__context__
        inner = f"/{type(cause).__name__}" if isinstance(cause, soap.SoapError) else ""
        return Unreadable(
            str(order_id),
            label,
            exc.operation or ORDER_GET,
            f"{type(exc).__name__}{inner}{status}",
            transient=isinstance(exc, TransientError),
        )
    raise exc


def check_identity(order_id: int, label: str | None, order: JetshopOrder) -> Rejection | None:
    """A rejection when Jetshop answered ``Order_Get(order_id)`` with another order."""
    if order.order_id == order_id:
        return None
    return Rejection(
        str(order_id),
        label,
        ID_MISMATCH,
        field="OrderId",
        value=repr(str(order.order_id)),
        detail=f"{ORDER_GET} for id {order_id} answered with order {order.order_number}",
    )


def quarantine_rejections(
    store: StateStore,
    tenant_id: str,
    shop_id: str,
    rejections: Iterable[Rejection],
    *,
    changed_at: Mapping[str, datetime],
    channel_of: Mapping[str, int],
    run_id: str,
) -> None:
    """Record each rejected order in the ledger as quarantined (one transaction for the batch).

    An order without a known number (none in the change list or the ledger) is quarantined under
    ``id <order id>`` in the quarantine table only: it has no ledger key. An order whose invoice exists
    or may be being created is not moved; its quarantine entry says what was found.
    """
    with store.transaction() as tx:
        for rejection in rejections:
            _quarantine_one(tx, tenant_id, shop_id, rejection, changed_at, channel_of, run_id)
            log.warning("shop %s: order %s quarantined (%s)", shop_id, rejection.name, rejection.text())


def _quarantine_one(
    tx: StateTransaction,
    tenant_id: str,
    shop_id: str,
    rejection: Rejection,
    changed_at: Mapping[str, datetime],
    channel_of: Mapping[str, int],
    run_id: str,
) -> None:
    payload = {
        "jetshop_order_id": rejection.record_id,
        "codes": [rejection.reason_code],
        "field": rejection.field,
        "value": rejection.value,
    }
    text = rejection.text()
    if rejection.label is None:
        tx.quarantine.put(
            tenant_id,
            ORDERS_STREAM,
            f"id {rejection.record_id}",
            rejection.reason_code,
            text,
            shop_id=shop_id,
            payload=payload,
            run_id=run_id,
        )
        return
    key = OrderKey(tenant_id, shop_id, rejection.label)
    existing = tx.ledger.get(key)
    if existing is not None and existing.state in NOT_MOVABLE:
        tx.quarantine.put(
            tenant_id,
            ORDERS_STREAM,
            key.order_number,
            rejection.reason_code,
            f"{text} (ledger: {existing.state.value}; left as it is)",
            shop_id=shop_id,
            payload=payload,
            run_id=run_id,
        )
        return
    record_id = rejection.record_id
    tx.ledger.record_seen(
        key,
        run_id=run_id,
        jetshop_order_id=int(record_id) if record_id.isdigit() else None,
        channel_id=channel_of.get(record_id),
        order_changed_at=changed_at.get(record_id),
    )
    tx.ledger.quarantine(key, rejection.reason_code, text, run_id=run_id, payload=payload)
