"""The daily digest of one tenant: what waits in quarantine and how the last day's runs reconciled.

Built from the state store only (no Airflow): open quarantine per reason, and the reconciliation
results recorded since ``since`` — how many windows were fine, which failed, with each failed window's
first summary line. The orchestration sends it through the tenant's alert channels once a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jetshop_hogia.operations.quarantine import counts_by_reason, describe_counts, list_open
from jetshop_hogia.state import ReconciliationStatus, StateStore

MAX_FAILED_LISTED = 10


@dataclass(frozen=True)
class Digest:
    """One tenant's day in numbers."""

    tenant_id: str
    open_quarantine: int
    quarantine_by_reason: str
    windows_ok: int
    windows_failed: int
    failed_windows: tuple[str, ...]
    """First summary line (or the window) of each failed reconciliation, newest first."""

    @property
    def needs_attention(self) -> bool:
        """Something for a human: quarantined records or a failed reconciliation."""
        return self.open_quarantine > 0 or self.windows_failed > 0

    def text(self) -> str:
        """A few lines for an e-mail or a webhook."""
        lines = [
            f"Tenant {self.tenant_id}: {self.windows_ok} windows reconciled fine, "
            f"{self.windows_failed} failed; {self.open_quarantine} records in quarantine "
            f"({self.quarantine_by_reason}).",
        ]
        lines += [f"  failed: {line}" for line in self.failed_windows]
        if self.open_quarantine:
            lines.append(f"  see: python -m jetshop_hogia quarantine list --tenant {self.tenant_id}")
        return "\n".join(lines)


def build_digest(store: StateStore, tenant_id: str, stream: str, since: datetime) -> Digest:
    """The digest of ``tenant_id``'s ``stream`` over the results recorded since ``since``."""
    entries = list_open(store, tenant_id)
    with store.transaction() as tx:
        results = tx.reconciliation.history(tenant_id, stream)
    recent = [r for r in results if r.created_at is not None and _aware(r.created_at) >= since]
    failed = [r for r in recent if r.status is ReconciliationStatus.FAILED]
    return Digest(
        tenant_id=tenant_id,
        open_quarantine=len(entries),
        quarantine_by_reason=describe_counts(counts_by_reason(entries)),
        windows_ok=sum(1 for r in recent if r.status is ReconciliationStatus.OK),
        windows_failed=len(failed),
        failed_windows=tuple(_line(r.details, r.window_start) for r in failed[:MAX_FAILED_LISTED]),
    )


def _line(details: object, window_start: datetime) -> str:
    if isinstance(details, dict):
        for key in ("headline", "summary", "window"):
            if isinstance(details.get(key), str):
                return str(details[key]).split(". ")[0][:300]
    return f"window from {window_start.isoformat()}"


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
