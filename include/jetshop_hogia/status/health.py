"""Per-tenant health for one page of the overview, in a fixed number of indexed queries.

The page shows at most a few dozen tenants, so every query is restricted to that page's tenant ids and
walks only indexes made for it:

* ledger backlog: ``(tenant_id, state)`` for the unfinished states only (``pushed`` and ``ignored`` rows,
  which grow with every order ever seen, are never touched);
* open quarantine: ``(tenant_id, resolved_at)``;
* newest reconciliation and newest OK one: one ``ORDER BY window_end DESC LIMIT 1`` seek per tenant on
  ``(tenant_id, stream, window_end)`` and ``(tenant_id, stream, status, window_end)`` (migration 0006),
  sent as one ``UNION ALL`` statement.

Four round trips per page whatever the number of tenants, orders or results behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, literal, select, union_all

from jetshop_hogia.state import ORDERS_STREAM, OrderState, StateStore
from jetshop_hogia.state.models import OrderLedgerRow, QuarantineRow, ReconciliationResultRow
from jetshop_hogia.status.records import BACKLOG_STATES, TenantHealth, WindowVerdict

R = ReconciliationResultRow


def tenant_health(
    store: StateStore, tenant_ids: Sequence[str], *, stream: str = ORDERS_STREAM
) -> dict[str, TenantHealth]:
    """Health of each tenant in ``tenant_ids`` (every id present; zeros for a tenant that never ran)."""
    ids = list(dict.fromkeys(tenant_ids))
    if not ids:
        return {}
    with store.engine.connect() as connection:
        backlog = _backlog(connection, ids)
        quarantined = _open_quarantine(connection, ids)
        latest, last_ok = _verdicts(connection, ids, stream)
    return {
        tenant_id: TenantHealth(
            tenant_id=tenant_id,
            backlog={state: backlog[tenant_id].get(state, 0) for state in BACKLOG_STATES},
            quarantine_by_stream=dict(quarantined[tenant_id]),
            last_ok=last_ok.get(tenant_id),
            latest=latest.get(tenant_id),
        )
        for tenant_id in ids
    }


def _backlog(connection: Connection, ids: list[str]) -> dict[str, dict[OrderState, int]]:
    statement = (
        select(OrderLedgerRow.tenant_id, OrderLedgerRow.state, func.count())
        .where(
            OrderLedgerRow.tenant_id.in_(ids),
            OrderLedgerRow.state.in_([state.value for state in BACKLOG_STATES]),
        )
        .group_by(OrderLedgerRow.tenant_id, OrderLedgerRow.state)
    )
    found: dict[str, dict[OrderState, int]] = defaultdict(dict)
    for tenant_id, state, count in connection.execute(statement):
        found[tenant_id][OrderState(state)] = int(count)
    return found


def _open_quarantine(connection: Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    statement = (
        select(QuarantineRow.tenant_id, QuarantineRow.stream, func.count())
        .where(QuarantineRow.tenant_id.in_(ids), QuarantineRow.resolved_at.is_(None))
        .group_by(QuarantineRow.tenant_id, QuarantineRow.stream)
    )
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for tenant_id, stream, count in connection.execute(statement):
        found[tenant_id][stream] = int(count)
    return found


def _newest_id(tenant_id: str, stream: str, *, ok_only: bool) -> Any:
    """Scalar subquery: the id of the tenant's newest result by window end (ties: the later one)."""
    statement = select(R.id).where(R.tenant_id == tenant_id, R.stream == stream)
    if ok_only:
        statement = statement.where(R.status == "ok")
    return statement.order_by(R.window_end.desc(), R.id.desc()).limit(1).scalar_subquery()


def _verdicts(
    connection: Connection, ids: list[str], stream: str
) -> tuple[dict[str, WindowVerdict], dict[str, WindowVerdict]]:
    """Newest result and newest OK result per tenant: two seeks per tenant, one statement."""
    picks = union_all(
        *(
            select(
                literal(tenant_id).label("tenant_id"),
                _newest_id(tenant_id, stream, ok_only=False).label("latest_id"),
                _newest_id(tenant_id, stream, ok_only=True).label("ok_id"),
            )
            for tenant_id in ids
        )
    ).subquery("picks")
    wanted: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for tenant_id, latest_id, ok_id in connection.execute(select(picks)):
        if latest_id is not None:
            wanted[latest_id].append((tenant_id, "latest"))
        if ok_id is not None:
            wanted[ok_id].append((tenant_id, "ok"))
    latest: dict[str, WindowVerdict] = {}
    last_ok: dict[str, WindowVerdict] = {}
    if not wanted:
        return latest, last_ok
    rows = connection.execute(select(R.id, R.run_id, R.window_end, R.status).where(R.id.in_(list(wanted))))
    for row in rows:
        verdict = WindowVerdict(run_id=row.run_id, window_end=row.window_end, ok=row.status == "ok")
        for tenant_id, kind in wanted[row.id]:
            (latest if kind == "latest" else last_ok)[tenant_id] = verdict
    return latest, last_ok
