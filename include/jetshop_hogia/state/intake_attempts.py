"""Bounded retries of records whose source answer could not be read at all (HTML, truncated, oversized).

Such an answer names nothing — no order number, no field — and may be a proxy's passing hiccup, so the
record is not quarantined at once: the fetch records an attempt here (one per *run*: a task retry of the
same run does not use up the budget), asks again in the next runs whatever window they cover, and after
``max_runs`` failed runs quarantines it (``streams.intake``). A readable answer clears the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from jetshop_hogia.state.ledger_intake import clip
from jetshop_hogia.state.models import IntakeAttemptRow, intake_attempts
from jetshop_hogia.state.sqlhelpers import insert_if_absent

A = IntakeAttemptRow


@dataclass(frozen=True)
class IntakeAttempt:
    """One record still waiting for a readable answer."""

    tenant_id: str
    stream: str
    scope: str
    record_id: str
    label: str | None
    """What a human knows the record by (an order number from the change list), when known."""
    attempts: int
    """Runs that failed to read it."""
    reason_code: str
    reason_text: str
    last_run_id: str | None


def _to_attempt(row: Row[Any]) -> IntakeAttempt:
    return IntakeAttempt(
        row.tenant_id,
        row.stream,
        row.scope,
        row.record_id,
        row.label,
        row.attempts,
        row.reason_code,
        row.reason_text,
        row.last_run_id,
    )


class IntakeAttemptRepository:
    """Intake attempts of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def _where(self, tenant_id: str, stream: str, scope: str, record_id: str) -> list[Any]:
        return [A.tenant_id == tenant_id, A.stream == stream, A.scope == scope, A.record_id == record_id]

    def record_failure(
        self,
        tenant_id: str,
        stream: str,
        scope: str,
        record_id: str,
        *,
        reason_code: str,
        reason_text: str,
        run_id: str,
        label: str | None = None,
    ) -> IntakeAttempt:
        """Count a failed read; only the first failure of each run counts (returns the updated row)."""
        now = self._now()
        reason = {"reason_code": reason_code, "reason_text": clip(reason_text), "updated_at": now}
        inserted = insert_if_absent(
            self._connection,
            intake_attempts,
            {
                "tenant_id": tenant_id,
                "stream": stream,
                "scope": scope,
                "record_id": record_id,
                "label": label,
                "attempts": 1,
                "first_run_id": run_id,
                "last_run_id": run_id,
                "created_at": now,
                **reason,
            },
            ["tenant_id", "stream", "scope", "record_id"],
        )
        if not inserted:
            where = self._where(tenant_id, stream, scope, record_id)
            self._connection.execute(
                update(intake_attempts)
                .where(*where, A.last_run_id.is_distinct_from(run_id))
                .values(attempts=A.attempts + 1, last_run_id=run_id)
            )
            labelled = {"label": label} if label is not None else {}
            self._connection.execute(update(intake_attempts).where(*where).values(**reason, **labelled))
        found = self.get(tenant_id, stream, scope, record_id)
        assert found is not None
        return found

    def get(self, tenant_id: str, stream: str, scope: str, record_id: str) -> IntakeAttempt | None:
        """The record's row, if a read of it failed and was not cleared since."""
        row = self._connection.execute(
            select(intake_attempts).where(*self._where(tenant_id, stream, scope, record_id))
        ).one_or_none()
        return _to_attempt(row) if row else None

    def pending(self, tenant_id: str, stream: str, scope: str) -> list[IntakeAttempt]:
        """Every record of ``scope`` still waiting for a readable answer, oldest first."""
        statement = (
            select(intake_attempts)
            .where(A.tenant_id == tenant_id, A.stream == stream, A.scope == scope)
            .order_by(A.created_at, A.record_id)
        )
        return [_to_attempt(row) for row in self._connection.execute(statement)]

    def clear(self, tenant_id: str, stream: str, scope: str, record_id: str) -> bool:
        """Forget the record's failures (read at last, or quarantined); False when there were none."""
        result = self._connection.execute(
            delete(intake_attempts).where(*self._where(tenant_id, stream, scope, record_id))
        )
        return bool(getattr(result, "rowcount", 0))
