"""Intake side of the order ledger: recording what Jetshop shows and judging it.

``record_seen`` is the first thing a stream does with an order, before any decision, so an order that
was ever read is never lost — whatever happens afterwards it stays visible in the ledger. Judging it
(``mark_eligible``, ``mark_ignored``, ``quarantine``) are compare-and-set moves checked against the state
machine in ``transitions``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from jetshop_hogia.state.errors import IllegalTransitionError
from jetshop_hogia.state.ledger_queries import L, LedgerQueries, key_filter
from jetshop_hogia.state.models import order_ledger
from jetshop_hogia.state.quarantine import QuarantineRepository
from jetshop_hogia.state.records import OrderKey, OrderRecord, SeenResult
from jetshop_hogia.state.sqlhelpers import insert_if_absent, rowcount
from jetshop_hogia.state.transitions import OrderState, declare_sources

S = OrderState
ORDERS_STREAM = "orders"
"""The quarantine stream name under which orders are parked (record key = order number)."""
MAX_TEXT_LENGTH = 4000

# Operation -> the states it may start from (validated against transitions.ALLOWED_TRANSITIONS).
ELIGIBLE_FROM = declare_sources(S.ELIGIBLE, S.SEEN, S.QUARANTINED, S.IGNORED)
IGNORED_FROM = declare_sources(S.IGNORED, S.SEEN, S.ELIGIBLE, S.QUARANTINED)
QUARANTINED_FROM = declare_sources(S.QUARANTINED, S.SEEN, S.ELIGIBLE, S.IGNORED)


def clip(text: str) -> str:
    """Bound stored error texts (an HTML error page must not bloat the ledger)."""
    return text if len(text) <= MAX_TEXT_LENGTH else text[: MAX_TEXT_LENGTH - 1] + "…"


class LedgerIntake(LedgerQueries):
    """Recording and judging orders, within one transaction."""

    def __init__(
        self, connection: Connection, now: Callable[[], datetime], quarantine: QuarantineRepository
    ) -> None:
        super().__init__(connection, now)
        self._quarantine = quarantine

    def record_seen(
        self,
        key: OrderKey,
        *,
        run_id: str | None,
        payload_hash: str | None = None,
        jetshop_order_id: int | None = None,
        channel_id: int | None = None,
        order_changed_at: datetime | None = None,
    ) -> SeenResult:
        """Insert the order as ``seen``, or refresh what is known about it; never changes its state.

        A different ``payload_hash`` than stored is noted (``payload_changed_at``, and
        ``SeenResult.payload_changed``); on a pushed order it shows as ``changed_since_push``. A reading
        older than the stored one (``order_changed_at`` behind) only records the run, so a slow run or
        a backfill cannot overwrite newer content.
        """
        now = self._now()
        inserted = insert_if_absent(
            self._connection,
            order_ledger,
            {
                "tenant_id": key.tenant_id,
                "shop_id": key.shop_id,
                "order_number": key.order_number,
                "jetshop_order_id": jetshop_order_id,
                "channel_id": channel_id,
                "state": S.SEEN.value,
                "attempts": 0,
                "idempotency_key": key.idempotency_key,
                "payload_hash": payload_hash,
                "order_changed_at": order_changed_at,
                "first_seen_run_id": run_id,
                "last_run_id": run_id,
                "created_at": now,
                "updated_at": now,
            },
            # no conflict target: the idempotency key is unique too, and a concurrent first sighting
            # may trip over that index first (PostgreSQL only absorbs conflicts on the named target)
            None,
        )
        if inserted:
            return SeenResult(order=self.require(key), created=True, payload_changed=False)
        current = self.require(key)
        changed = payload_hash is not None and current.payload_hash not in (None, payload_hash)
        values: dict[str, Any] = {"last_run_id": run_id, "updated_at": now}
        for column, value in (
            ("payload_hash", payload_hash),
            ("jetshop_order_id", jetshop_order_id),
            ("channel_id", channel_id),
            ("order_changed_at", order_changed_at),
        ):
            if value is not None:
                values[column] = value
        if changed:
            values["payload_changed_at"] = now
        statement = update(order_ledger).where(*key_filter(key))
        if order_changed_at is not None:
            statement = statement.where(
                L.order_changed_at.is_(None) | (L.order_changed_at <= order_changed_at)
            )
        if rowcount(self._connection.execute(statement.values(**values))) == 0:
            # an older reading than what is stored: remember the run, keep the newer content
            self._connection.execute(
                update(order_ledger).where(*key_filter(key)).values(last_run_id=run_id, updated_at=now)
            )
            changed = False
        return SeenResult(order=self.require(key), created=False, payload_changed=changed)

    def _move(
        self,
        key: OrderKey,
        operation: str,
        sources: frozenset[OrderState],
        target: OrderState,
        values: dict[str, Any],
    ) -> OrderRecord:
        """Compare-and-set the state (a no-op when already in ``target``).

        Raises ``IllegalTransitionError`` from any state outside ``sources``.
        """
        result = self._connection.execute(
            update(order_ledger)
            .where(*key_filter(key), L.state.in_([state.value for state in sources]))
            .values(state=target.value, updated_at=self._now(), **values)
        )
        current = self.require(key)
        if rowcount(result) == 1 or current.state is target:
            return current
        raise IllegalTransitionError(key, current.state, target, operation)

    def _resolve_quarantine(self, key: OrderKey) -> None:
        """Close the order's open quarantine entry, if any (it left quarantine by a human decision)."""
        self._quarantine.resolve(key.tenant_id, ORDERS_STREAM, key.order_number, shop_id=key.shop_id)

    def mark_eligible(self, key: OrderKey, *, run_id: str | None) -> OrderRecord:
        """The order passed validation and should be pushed (also releases it from quarantine/ignore)."""
        record = self._move(
            key, "mark_eligible", ELIGIBLE_FROM, S.ELIGIBLE, {"last_run_id": run_id, "state_reason": None}
        )
        self._resolve_quarantine(key)
        return record

    def mark_ignored(self, key: OrderKey, *, run_id: str | None, reason: str) -> OrderRecord:
        """Deliberately never push this order (e.g. cancelled); ``reason`` is kept on the row."""
        values = {"last_run_id": run_id, "state_reason": clip(reason)}
        record = self._move(key, "mark_ignored", IGNORED_FROM, S.IGNORED, values)
        self._resolve_quarantine(key)
        return record

    def quarantine(
        self,
        key: OrderKey,
        reason_code: str,
        reason_text: str,
        *,
        run_id: str | None,
        payload: Any | None = None,
    ) -> OrderRecord:
        """Park the order for a human and record why (re-quarantining updates the same entry).

        Not allowed from ``pushing``: an invoice may exist; report the push outcome instead.
        """
        values = {"last_run_id": run_id, "state_reason": reason_code}
        record = self._move(key, "quarantine", QUARANTINED_FROM, S.QUARANTINED, values)
        self._quarantine.put(
            key.tenant_id,
            ORDERS_STREAM,
            key.order_number,
            reason_code,
            reason_text,
            shop_id=key.shop_id,
            payload=payload,
            run_id=run_id,
        )
        return record
