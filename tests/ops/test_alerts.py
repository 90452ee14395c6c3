"""Alerts reach a local SMTP sink and a local webhook: task failure, no successful run, configuration."""

from __future__ import annotations

import email
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import pytest
from orders_helpers import connect_tenant_data
from sinks import HttpSink, SmtpSink, http_sink, smtp_sink

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.orchestration.alerts import failure_notifiers, on_missed_deadline, send
from jetshop_hogia.orchestration.factory import build_tenant_dag

pytestmark = pytest.mark.airflow

ALERTS = {
    "email": {"to": ["ops@example.se"], "conn_id": "smtp_sink", "from_email": "sync@example.se"},
    "webhook": {"conn_id": "ops_webhook", "endpoint": "/hooks/airflow"},
    "no_success_for_minutes": 30,
}


@pytest.fixture
def sinks(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SmtpSink, HttpSink]]:
    """Both sinks, with the Airflow connections the tenant's alerts name."""
    with smtp_sink() as mail, http_sink() as hook:
        smtp = {
            "conn_type": "smtp",
            "host": mail.host,
            "port": mail.port,
            "extra": {"disable_tls": True, "disable_ssl": True, "timeout": 10, "retry_limit": 0},
        }
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_SINK", json.dumps(smtp))
        monkeypatch.setenv("AIRFLOW_CONN_OPS_WEBHOOK", json.dumps({"conn_type": "http", "host": hook.url}))
        yield mail, hook


def _tenant(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> TenantConfig:
    data = {**connect_tenant_data("acme"), "operations": {"alerts": ALERTS}}
    folder = tmp_path / "tenants"
    folder.mkdir()
    (folder / "acme.yaml").write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    monkeypatch.setenv("JETSHOP_HOGIA_TENANTS_DIR", str(folder))
    return TenantConfig.model_validate(data)


def _mail(sink: SmtpSink) -> Message:
    (message,) = sink.messages
    return email.message_from_string(message["data"])


def test_a_failed_task_alerts_by_mail_and_webhook(
    sinks: tuple[SmtpSink, HttpSink], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail, hook = sinks
    tenant = _tenant(tmp_path, monkeypatch)
    dag = build_tenant_dag(tenant)
    write = dag.get_task("orders.write")
    assert len(write.on_failure_callback) == 2  # type: ignore[arg-type]
    context = {
        "dag": dag,
        "ti": type("TI", (), {"task_id": "orders.write", "try_number": 1})(),
        "run_id": "scheduled__2026-11-24T10:00:00+00:00",
        "exception": RuntimeError("Hogia refuses every invoice: ModuleNotActive\nsecond line"),
    }

    assert send(failure_notifiers(tenant), context) == 2

    message = _mail(mail)
    assert message["Subject"] == (
        "[jetshop-hogia] sync_acme: orders.write failed (scheduled__2026-11-24T10:00:00+00:00)"
    )
    assert mail.messages[0]["rcpt"] == ["<ops@example.se>"]
    body = message.get_payload(0).get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "failed in run scheduled__2026-11-24T10:00:00+00:00 (try 1): Hogia refuses every" in body
    assert "second line" not in body
    (posted,) = hook.requests
    assert (posted.method, posted.path) == ("POST", "/hooks/airflow")
    assert posted.body["event"] == "task_failed"
    assert "orders.write" in posted.body["subject"]


def test_a_missed_deadline_alerts_unless_a_later_run_succeeded(
    sinks: tuple[SmtpSink, HttpSink], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail, hook = sinks
    _tenant(tmp_path, monkeypatch)
    monkeypatch.setenv(
        "AIRFLOW_CONN_SYNC_STATE",
        json.dumps({"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{tmp_path / 's.db'}"}}),
    )
    queued = datetime.now(UTC) - timedelta(minutes=45)
    context = {"dag_run": {"dag_run_id": "scheduled__x", "queued_at": queued.isoformat()}, "deadline": {}}

    assert on_missed_deadline(tenant_id="acme", minutes=30, context=context) == 2
    assert "no successful run for 30 minutes" in _mail(mail)["Subject"]
    assert hook.requests[0].body["event"] == "no_successful_run"

    _record_success(tmp_path)
    assert on_missed_deadline(tenant_id="acme", minutes=30, context=context) == 0
    assert len(mail.messages) == 1


def _record_success(tmp_path: Any) -> None:
    from jetshop_hogia.state import ORDERS_STREAM, ReconciliationCounts, ReconciliationStatus, StateStore

    with StateStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.migrate()
        with store.transaction() as tx:
            now = datetime.now(UTC)
            tx.reconciliation.record(
                "acme", ORDERS_STREAM, now - timedelta(minutes=5), now, ReconciliationCounts(),
                status=ReconciliationStatus.OK, run_id="scheduled__later",
            )  # fmt: skip


def test_the_deadline_and_callbacks_come_from_the_tenant_file(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_alerts = build_tenant_dag(_tenant(tmp_path, monkeypatch))
    without = build_tenant_dag(TenantConfig.model_validate(connect_tenant_data("plain")))

    (deadline,) = with_alerts.deadline if isinstance(with_alerts.deadline, list) else [with_alerts.deadline]
    assert deadline.interval == timedelta(minutes=30)
    assert deadline.callback.kwargs == {"tenant_id": "acme", "minutes": 30}
    assert not without.deadline
    assert not without.get_task("orders.write").on_failure_callback
