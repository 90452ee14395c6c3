"""The daily digest: quarantine per reason and the day's failed windows, sent where the tenant's alerts go."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from orders_helpers import connect_tenant_data
from sinks import http_sink

from jetshop_hogia.config import load_tenants
from jetshop_hogia.operations.digest import build_digest
from jetshop_hogia.orchestration.digest_dag import build_digest_dag, send_digests
from jetshop_hogia.state import (
    ORDERS_STREAM,
    OrderKey,
    ReconciliationCounts,
    ReconciliationStatus,
    StateStore,
)

pytestmark = pytest.mark.airflow


def _findings(url: str) -> datetime:
    """Three quarantined orders and two reconciled windows (one failed); returns when they were made."""
    now = datetime.now(UTC)
    with StateStore(url) as store:
        store.migrate()
        with store.transaction() as tx:
            for number, code in (
                ("A1", "unknown_article"),
                ("A2", "unknown_article"),
                ("A3", "push_rejected"),
            ):
                key = OrderKey("acme", "alpha", number)
                tx.ledger.record_seen(key, run_id="r1")
                tx.ledger.quarantine(key, code, f"{code} text", run_id="r1")
            for status, headline in (
                (ReconciliationStatus.OK, "fine"),
                (ReconciliationStatus.FAILED, "orders x: 1 missing"),
            ):
                tx.reconciliation.record(
                    "acme", ORDERS_STREAM, now - timedelta(hours=2), now - timedelta(hours=1),
                    ReconciliationCounts(), status=status, run_id="r1", details={"headline": headline},
                )  # fmt: skip
    return now


def test_the_digest_counts_quarantine_reasons_and_names_failed_windows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    made = _findings(url)
    with StateStore(url) as store:
        digest = build_digest(store, "acme", ORDERS_STREAM, made - timedelta(days=1))
        quiet = build_digest(store, "acme", ORDERS_STREAM, datetime.now(UTC) + timedelta(minutes=1))

    assert (digest.open_quarantine, digest.windows_ok, digest.windows_failed) == (3, 1, 1)
    assert digest.quarantine_by_reason == "2 unknown_article, 1 push_rejected"
    assert digest.failed_windows == ("orders x: 1 missing",)
    assert "quarantine list --tenant acme" in digest.text()
    assert (quiet.windows_ok, quiet.windows_failed) == (0, 0)  # older results are not the day's


def test_the_digest_dag_exists_only_with_a_channel_and_sends_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tenants"
    folder.mkdir()
    monkeypatch.setenv("JETSHOP_HOGIA_TENANTS_DIR", str(folder))
    (folder / "acme.yaml").write_text(json.dumps(connect_tenant_data("acme")), encoding="utf-8")
    assert build_digest_dag(load_tenants().tenants) is None

    url = f"sqlite:///{tmp_path / 's.db'}"
    _findings(url)
    monkeypatch.setenv(
        "AIRFLOW_CONN_SYNC_STATE", json.dumps({"conn_type": "generic", "extra": {"sqlalchemy_url": url}})
    )
    with http_sink() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_OPS_WEBHOOK", json.dumps({"conn_type": "http", "host": hook.url}))
        alerts = {"webhook": {"conn_id": "ops_webhook", "endpoint": "/digest"}}
        data = {**connect_tenant_data("acme"), "operations": {"alerts": alerts}}
        (folder / "acme.yaml").write_text(json.dumps(data), encoding="utf-8")

        dag = build_digest_dag(load_tenants().tenants)
        sent = send_digests()

    assert dag is not None
    assert dag.task_ids == ["send_digests"]
    assert sent == {"acme": 1}
    (posted,) = hook.requests
    assert posted.body["event"] == "daily_digest"
    assert "3 records in quarantine (2 unknown_article, 1 push_rejected)" in posted.body["text"]
