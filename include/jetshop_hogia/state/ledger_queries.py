"""Read side of the order ledger: single orders, windows by state, stuck pushes, counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, or_, select

from jetshop_hogia.state.errors import OrderNotFoundError
from jetshop_hogia.state.models import OrderLedgerRow, order_ledger
from jetshop_hogia.state.records import OrderKey, OrderRecord
from jetshop_hogia.state.transitions import OrderState

L = OrderLedgerRow


def key_filter(key: OrderKey) -> list[Any]:
    """WHERE clauses selecting exactly one order."""
    return [L.tenant_id == key.tenant_id, L.shop_id == key.shop_id, L.order_number == key.order_number]


def to_record(row: Row[Any]) -> OrderRecord:
    """A ledger row as an immutable record."""
    return OrderRecord(
        key=OrderKey(row.tenant_id, row.shop_id, row.order_number),
        state=OrderState(row.state),
        attempts=row.attempts,
        idempotency_key=row.idempotency_key,
        jetshop_order_id=row.jetshop_order_id,
        channel_id=row.channel_id,
        hogia_invoice_id=row.hogia_invoice_id,
        payload_hash=row.payload_hash,
        pushed_payload_hash=row.pushed_payload_hash,
        payload_changed_at=row.payload_changed_at,
        order_changed_at=row.order_changed_at,
        last_error=row.last_error,
        state_reason=row.state_reason,
        claim_token=row.claim_token,
        claim_expires_at=row.claim_expires_at,
        claim_run_id=row.claim_run_id,
        first_seen_run_id=row.first_seen_run_id,
        last_run_id=row.last_run_id,
        pushed_run_id=row.pushed_run_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        pushed_at=row.pushed_at,
    )


def _claim_expired(now: datetime) -> Any:
    return and_(
        L.state == OrderState.PUSHING.value,
        or_(L.claim_expires_at.is_(None), L.claim_expires_at <= now),
    )


class LedgerQueries:
    """Read-only ledger queries of one transaction."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def get(self, key: OrderKey) -> OrderRecord | None:
        """The order's ledger row, or None when it was never seen."""
        row = self._connection.execute(select(order_ledger).where(*key_filter(key))).one_or_none()
        return to_record(row) if row else None

    def require(self, key: OrderKey) -> OrderRecord:
        """The order's ledger row; raises ``OrderNotFoundError`` when it was never seen."""
        record = self.get(key)
        if record is None:
            raise OrderNotFoundError(key)
        return record

    def orders(
        self,
        tenant_id: str,
        *,
        shop_id: str | None = None,
        states: Iterable[OrderState] | None = None,
        changed_from: datetime | None = None,
        changed_to: datetime | None = None,
        limit: int | None = None,
    ) -> list[OrderRecord]:
        """Orders whose Jetshop change time is in ``[changed_from, changed_to)``, optionally by state.

        Ordered by change time then order number, like the change list they came from.
        """
        statement = select(order_ledger).where(L.tenant_id == tenant_id)
        if shop_id is not None:
            statement = statement.where(L.shop_id == shop_id)
        if states is not None:
            statement = statement.where(L.state.in_([OrderState(state).value for state in states]))
        if changed_from is not None:
            statement = statement.where(L.order_changed_at >= changed_from)
        if changed_to is not None:
            statement = statement.where(L.order_changed_at < changed_to)
        statement = statement.order_by(
            L.order_changed_at.asc().nulls_last(), L.shop_id, L.order_number
        ).limit(limit)
        return [to_record(row) for row in self._connection.execute(statement)]

    def stuck_in_pushing(
        self, tenant_id: str, *, shop_id: str | None = None, include_live_claims: bool = False
    ) -> list[OrderRecord]:
        """Orders in ``pushing`` whose claim expired: the outcome of their last push is unknown.

        Before pushing one again, look the invoice up in Hogia (``claim_for_push`` flags it with
        ``outcome_unknown``). ``include_live_claims`` also lists pushes that are (probably) in progress.
        """
        condition = (
            L.state == OrderState.PUSHING.value if include_live_claims else _claim_expired(self._now())
        )
        statement = select(order_ledger).where(L.tenant_id == tenant_id, condition)
        if shop_id is not None:
            statement = statement.where(L.shop_id == shop_id)
        statement = statement.order_by(L.claim_expires_at, L.shop_id, L.order_number)
        return [to_record(row) for row in self._connection.execute(statement)]

    def claimable(
        self, tenant_id: str, *, shop_id: str | None = None, limit: int | None = None
    ) -> list[OrderKey]:
        """Orders a push run may try to claim: eligible ones, then expired ``pushing`` claims.

        Only a hint: ``claim_for_push`` decides, atomically, who gets each one.
        """
        statement = select(L.tenant_id, L.shop_id, L.order_number).where(
            L.tenant_id == tenant_id,
            or_(L.state == OrderState.ELIGIBLE.value, _claim_expired(self._now())),
        )
        if shop_id is not None:
            statement = statement.where(L.shop_id == shop_id)
        statement = statement.order_by(
            L.order_changed_at.asc().nulls_last(), L.shop_id, L.order_number
        ).limit(limit)
        return [OrderKey(*row) for row in self._connection.execute(statement)]

    def count_by_state(self, tenant_id: str, *, shop_id: str | None = None) -> dict[OrderState, int]:
        """How many orders are in each state (every state present, zero when empty)."""
        statement = select(L.state, func.count()).where(L.tenant_id == tenant_id).group_by(L.state)
        if shop_id is not None:
            statement = statement.where(L.shop_id == shop_id)
        counts = dict.fromkeys(OrderState, 0)
        for state, count in self._connection.execute(statement):
            counts[OrderState(state)] = int(count)
        return counts
