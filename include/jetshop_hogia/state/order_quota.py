"""The plan's monthly order quota (seed: "Max antal överförda orders" 100/200/400/800 per month).

Counted from the ledger — orders whose invoice was created (``pushed``) in the tenant-local calendar
month — and only ever *warned* about: at 80 % and at 100 % the reconcile log says so; no order is held
back or dropped for it (a merchant over quota must still be invoiced correctly).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from jetshop_hogia.state.models import OrderLedgerRow, order_ledger
from jetshop_hogia.state.store import StateStore
from jetshop_hogia.state.transitions import OrderState

PLAN_ORDER_QUOTA: dict[int, int] = {100: 100, 200: 200, 400: 400, 800: 800}
WARN_SHARE = 0.8


@dataclass(frozen=True)
class QuotaStatus:
    """Orders transferred this month against the plan's quota, and the warning to log (if any)."""

    count: int
    quota: int
    month: str
    message: str | None


def month_bounds(moment: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Start and end (aware) of the tenant-local calendar month holding ``moment``."""
    local = moment.astimezone(ZoneInfo(timezone))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


def quota_message(count: int, quota: int, month: str) -> str | None:
    """The warning for ``count`` transferred orders against ``quota`` (None below 80 %)."""
    if count >= quota:
        return (
            f"order quota reached: {count} orders transferred in {month}, the plan includes {quota} "
            "(orders keep being transferred; the plan should be raised)"
        )
    if count >= WARN_SHARE * quota:
        return f"order quota at {count * 100 // quota} %: {count} of {quota} orders transferred in {month}"
    return None


def check_order_quota(
    store: StateStore, tenant_id: str, plan: int, timezone: str, moment: datetime
) -> QuotaStatus:
    """Count this month's transferred orders of a tenant and judge them against its plan."""
    start, end = month_bounds(moment, timezone)
    row = OrderLedgerRow
    statement = (
        select(func.count())
        .select_from(order_ledger)
        .where(
            row.tenant_id == tenant_id,
            row.state == OrderState.PUSHED.value,
            row.pushed_at >= start,
            row.pushed_at < end,
        )
    )
    with store.transaction() as tx:
        count = int(tx.connection.execute(statement).scalar_one())
    quota = PLAN_ORDER_QUOTA[int(plan)]
    month = start.strftime("%Y-%m")
    return QuotaStatus(count, quota, month, quota_message(count, quota, month))
