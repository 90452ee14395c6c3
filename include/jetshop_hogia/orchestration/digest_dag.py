"""``jetshop_hogia_daily_digest``: once a morning, each tenant's quarantine and reconcile findings.

One small DAG per deployment, built by the factory with the tenant DAGs (``dags/tenant_sync.py``) and
only when at least one tenant has an alert channel: the digest goes through the same notifiers as the
failure alerts, and is always logged. A tenant without findings gets no message (no news is good news).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jetshop_hogia.config import TenantConfig

log = logging.getLogger(__name__)

DIGEST_DAG_ID = "jetshop_hogia_daily_digest"
DIGEST_SCHEDULE = "0 7 * * *"
"""07:00 in the tenants' time zone, before the office opens."""


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """Build and send every tenant's digest of the last 24 hours; tenant id → channels reached."""
    from jetshop_hogia.config import load_tenants
    from jetshop_hogia.operations.digest import build_digest
    from jetshop_hogia.orchestration.alerts import SUBJECT_PREFIX, notifiers, send
    from jetshop_hogia.state import ORDERS_STREAM, StateStore
    from jetshop_hogia.state.connection import state_store_url

    since = (now or datetime.now(UTC)) - timedelta(days=1)
    sent: dict[str, int] = {}
    with StateStore(state_store_url()) as store:
        store.migrate()
        for tenant in load_tenants().tenants:
            digest = build_digest(store, tenant.tenant_id, ORDERS_STREAM, since)
            log.info("%s", digest.text())
            if not digest.needs_attention:
                continue
            subject = f"{SUBJECT_PREFIX} daily digest {tenant.tenant_id}"
            made = notifiers(tenant.operations.alerts, subject, digest.text(), "daily_digest")
            sent[tenant.tenant_id] = send(made, {"tenant_id": tenant.tenant_id})
    return sent


def build_digest_dag(tenants: Sequence[TenantConfig]) -> Any | None:
    """The digest DAG, or None when none of ``tenants`` (the valid ones) configures an alert channel."""
    import pendulum
    from airflow.sdk import DAG, task

    if not any(tenant.operations.alerts.configured for tenant in tenants):
        return None
    zone = pendulum.timezone(tenants[0].timezone)
    with DAG(
        dag_id=DIGEST_DAG_ID,
        description="Daily digest of quarantine and reconciliation findings per tenant",
        schedule=DIGEST_SCHEDULE,
        start_date=pendulum.datetime(2026, 1, 1, tz=zone),
        catchup=False,
        tags=["jetshop-hogia", "operations"],
    ) as dag:
        task(task_id="send_digests")(send_digests)()
    return dag
