"""Alerts of one tenant: on a failed task, on a tenant with no successful run for too long, daily digest.

Channels come from the tenant file's ``operations.alerts`` (:mod:`jetshop_hogia.config.operations`) and
are Airflow's own notifiers, so credentials stay in Airflow connections:

- ``email`` → ``SmtpNotifier`` (``apache-airflow-providers-smtp``) over the named SMTP connection;
- ``webhook`` → ``HttpNotifier`` (``apache-airflow-providers-http``): a JSON POST to the connection's host.

*Task failure*: every task of the tenant's DAG gets the notifiers as ``on_failure_callback`` (after its
retries are used up; permanent errors fail at once). *No success for too long*: Airflow 3.3's
``DeadlineAlert`` on each run, measured from when it was queued — a run that has not *succeeded* within
``no_success_for_minutes`` (still running, retrying, or failed) calls :func:`on_missed_deadline` in the
executor, which alerts unless a later run of the tenant has succeeded meanwhile (a healed outage).

Messages hold ids, states and the error's first line — no order data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.config.operations import AlertsConfig

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[jetshop-hogia]"
FAILURE_SUBJECT = SUBJECT_PREFIX + " {{ dag.dag_id }}: {{ ti.task_id }} failed ({{ run_id }})"
FAILURE_TEXT = (
    "Task {{ ti.task_id }} of {{ dag.dag_id }} failed in run {{ run_id }} (try {{ ti.try_number }}): "
    "{{ ((exception | string).splitlines() or [''])[0][:500] if exception else 'unknown error' }}"
)


def notifiers(alerts: AlertsConfig, subject: str, text: str, event: str) -> list[Any]:
    """Airflow notifiers for the configured channels; ``subject``/``text`` may be Jinja templates."""
    made: list[Any] = []
    if alerts.email is not None:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        made.append(
            SmtpNotifier(
                to=list(alerts.email.to),
                from_email=alerts.email.from_email,
                smtp_conn_id=alerts.email.conn_id,
                subject=subject,
                html_content=f"<p>{text}</p>",
            )
        )
    if alerts.webhook is not None:
        from airflow.providers.http.notifications.http import HttpNotifier

        made.append(
            HttpNotifier(
                http_conn_id=alerts.webhook.conn_id,
                endpoint=alerts.webhook.endpoint,
                json={"event": event, "subject": subject, "text": text},
                headers={"Content-Type": "application/json"},
            )
        )
    return made


def failure_notifiers(tenant: TenantConfig) -> list[Any]:
    """``on_failure_callback`` of every task of the tenant's DAG (empty when no channel is configured)."""
    return notifiers(tenant.operations.alerts, FAILURE_SUBJECT, FAILURE_TEXT, "task_failed")


def with_alerts(default_args: Mapping[str, Any], tenant: TenantConfig) -> dict[str, Any]:
    """The DAG's ``default_args`` plus the tenant's failure notifiers, if it has any channel."""
    made = failure_notifiers(tenant)
    return {**default_args, "on_failure_callback": made} if made else dict(default_args)


def deadline_for(tenant: TenantConfig) -> Any | None:
    """The ``DeadlineAlert`` "no successful run for N minutes", or None when not configured."""
    minutes = tenant.operations.alerts.no_success_for_minutes
    if minutes is None:
        return None
    from airflow.sdk.definitions.callback import SyncCallback
    from airflow.sdk.definitions.deadline import DeadlineAlert, DeadlineReference

    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=timedelta(minutes=minutes),
        callback=SyncCallback(
            f"{__name__}.on_missed_deadline", kwargs={"tenant_id": tenant.tenant_id, "minutes": minutes}
        ),
        name="no_successful_run",
    )


def stale_message(tenant_id: str, minutes: int, run_id: str | None) -> tuple[str, str]:
    """Subject and text of the "no successful run" alert."""
    subject = f"{SUBJECT_PREFIX} sync_{tenant_id}: no successful run for {minutes} minutes"
    text = (
        f"Tenant {tenant_id}: run {run_id or '?'} has not succeeded within {minutes} minutes of being "
        "queued and no later run has succeeded. Check the failed tasks' logs (Hogia or Jetshop down, "
        "credentials, tenant set-up); the first successful run catches up by itself."
    )
    return subject, text


def on_missed_deadline(
    tenant_id: str, minutes: int, context: Mapping[str, Any] | None = None, **_: Any
) -> int:
    """Deadline callback: alert through the tenant's channels unless a later run succeeded; returns sends.

    Airflow calls it in the executor with the alert's kwargs and ``context`` = ``{"dag_run": <the run as
    the REST API shows it>, "deadline": {...}}``.
    """
    from jetshop_hogia.config import load_tenant

    context = context or {}
    dag_run = context.get("dag_run") or {}
    run_id = dag_run.get("dag_run_id") or dag_run.get("run_id")
    if _later_success(tenant_id, dag_run.get("queued_at")):
        log.info("tenant %s: run %s missed its deadline; a later run succeeded: no alert", tenant_id, run_id)
        return 0
    subject, text = stale_message(tenant_id, minutes, run_id)
    log.error("%s — %s", subject, text)
    tenant = load_tenant(tenant_id)
    return send(notifiers(tenant.operations.alerts, subject, text, "no_successful_run"), context)


def send(made: list[Any], context: Mapping[str, Any]) -> int:
    """Call each notifier; one failing channel is logged and does not stop the others."""
    sent = 0
    for notifier in made:
        try:
            notifier(dict(context))  # renders the templated fields, then notifies
            sent += 1
        except Exception:
            log.exception("alert channel %s failed", type(notifier).__name__)
    return sent


def _later_success(tenant_id: str, queued_at: object) -> bool:
    """Whether the state store recorded a successful reconciliation after the run was queued."""
    if not isinstance(queued_at, str | datetime):
        return False
    queued = datetime.fromisoformat(queued_at) if isinstance(queued_at, str) else queued_at
    try:
        from jetshop_hogia.state import ORDERS_STREAM, ReconciliationStatus, StateStore
        from jetshop_hogia.state.connection import state_store_url

        with StateStore(state_store_url()) as store, store.transaction() as tx:
            ok = tx.reconciliation.history(tenant_id, ORDERS_STREAM, status=ReconciliationStatus.OK, limit=1)
    except Exception:  # the alert matters more than the refinement
        log.warning("could not read the state store for tenant %s", tenant_id, exc_info=True)
        return False
    recorded = ok[0].created_at if ok else None
    return recorded is not None and _utc(recorded) > _utc(queued)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
