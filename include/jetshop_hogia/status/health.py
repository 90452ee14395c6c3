"""Per-tenant health for one page of the overview, in a fixed number of indexed queries.

The page shows at most a few dozen tenants, so every query is restricted to that page's tenant ids and
walks only indexes made for it:

* ledger backlog: ``(tenant_id, state)`` for the unfinished states only (``pushed`` and ``ignored`` rows,
  which grow with every order ever seen, are never touched);
* open quarantine: ``(tenant_id, resolved_at)``;
* newest reconciliation and newest OK one: one ``ORDER BY window_end DESC LIMIT 1`` seek per tenant on
  ``(tenant_id, stream, window_end)`` and ``(tenant_id, stream, status, window_end)`` (migration 0006),
  in one statement whose text is fixed (the page's ids are one array / JSON parameter), so neither
  SQLAlchemy nor the database re-plans it per page.

Three round trips per page whatever the number of tenants, orders or results behind it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, text

from jetshop_hogia.state import ORDERS_STREAM, OrderState, StateStore
from jetshop_hogia.state.models import OrderLedgerRow, QuarantineRow
from jetshop_hogia.state.sqltypes import UtcDateTime
from jetshop_hogia.status.records import BACKLOG_STATES, TenantHealth, WindowVerdict


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


_NEWEST = """
    (SELECT r.id FROM reconciliation_results r
      WHERE r.tenant_id = page.tenant_id AND r.stream = :stream {extra}
      ORDER BY r.window_end DESC, r.id DESC LIMIT 1)"""

_VERDICTS = """
WITH page_ids AS (SELECT {tenant_column} AS tenant_id FROM {driver}),
picks AS (
  SELECT page.tenant_id, {latest} AS latest_id, {ok} AS ok_id FROM page_ids page
)
SELECT p.tenant_id,
       l.run_id AS latest_run_id, l.window_end AS latest_end, l.status AS latest_status,
       o.run_id AS ok_run_id, o.window_end AS ok_end
FROM picks p
LEFT JOIN reconciliation_results l ON l.id = p.latest_id
LEFT JOIN reconciliation_results o ON o.id = p.ok_id
"""

_DRIVERS = {
    # the page's tenant ids as a one-column table, passed as one parameter (a fixed statement text, so
    # the database plans it the same way every time, whatever the page)
    "postgresql": ("ids.tenant_id", "unnest(CAST(:ids AS varchar[])) AS ids(tenant_id)"),
    "sqlite": ("value", "json_each(:ids)"),
}


def _verdicts_statement(dialect: str) -> Any:
    tenant_column, driver = _DRIVERS[dialect]
    sql = _VERDICTS.format(
        tenant_column=tenant_column,
        driver=driver,
        latest=_NEWEST.format(extra=""),
        ok=_NEWEST.format(extra="AND r.status = 'ok'"),
    )
    return text(sql).columns(latest_end=UtcDateTime(), ok_end=UtcDateTime())


def _verdicts(
    connection: Connection, ids: list[str], stream: str
) -> tuple[dict[str, WindowVerdict], dict[str, WindowVerdict]]:
    """Newest result and newest OK result per tenant: two index seeks per tenant, one statement.

    Each seek is ``ORDER BY window_end DESC LIMIT 1`` on ``(tenant_id, stream[, status], window_end)``,
    so its cost does not grow with a tenant's history.
    """
    dialect = connection.dialect.name
    if dialect not in _DRIVERS:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"the status page does not support {dialect!r}")
    ids_param: Any = ids if dialect == "postgresql" else json.dumps(ids)
    rows = connection.execute(_verdicts_statement(dialect), {"ids": ids_param, "stream": stream})
    latest: dict[str, WindowVerdict] = {}
    last_ok: dict[str, WindowVerdict] = {}
    for row in rows:
        if row.latest_end is not None:
            latest[row.tenant_id] = WindowVerdict(
                row.latest_run_id, row.latest_end, row.latest_status == "ok"
            )
        if row.ok_end is not None:
            last_ok[row.tenant_id] = WindowVerdict(row.ok_run_id, row.ok_end, True)
    return latest, last_ok
