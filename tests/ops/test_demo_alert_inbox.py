"""The demo's alert inbox: a newcomer who breaks Hogia in ``make demo`` sees the alert arrive.

The demo tenants send webhook alerts to the connection ``demo_alerts``; the demo defines that connection
and starts the inbox it points at. Airflow's own HTTP notifier delivers to the running inbox here.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from jetshop_hogia.config import load_tenants
from jetshop_hogia_simulators.common.server import free_port
from jetshop_hogia_simulators.demo.alert_sink import read_alerts, serve
from jetshop_hogia_simulators.demo.environment import ALERT_PORT, demo_environment

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running alert inbox on a free loopback port: its URL and its file."""
    kept = tmp_path / "alerts.jsonl"
    server = serve(free_port(), kept)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", kept
    finally:
        server.shutdown()
        server.server_close()


def test_the_inbox_keeps_each_alert_and_lists_them(inbox: tuple[str, Path]) -> None:
    url, kept = inbox
    for text in ("task orders.write failed", "tenant beta had no successful run"):
        answer = requests.post(f"{url}/alerts", json={"event": "task_failed", "text": text}, timeout=5)
        assert answer.status_code == 200

    listed = requests.get(url, timeout=5).json()
    assert [alert["body"]["text"] for alert in listed] == [
        "task orders.write failed",
        "tenant beta had no successful run",
    ]
    assert [alert["path"] for alert in read_alerts(kept)] == ["/alerts", "/alerts"]


def test_airflows_http_notifier_delivers_a_tenant_alert_to_the_inbox(
    inbox: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a failed task does: the tenant's webhook notifier posts through the connection."""
    from jetshop_hogia.orchestration.alerts import notifiers

    url, kept = inbox
    monkeypatch.setenv("AIRFLOW_CONN_DEMO_ALERTS", json.dumps({"conn_type": "http", "host": url}))
    tenant = load_tenants(REPO / "include" / "tenants").tenants[0]
    [webhook] = notifiers(tenant.operations.alerts, "subject", "orders.write failed", "task_failed")

    webhook.notify({})

    [alert] = read_alerts(kept)
    assert alert["path"] == "/alerts"
    assert alert["body"] == {"event": "task_failed", "subject": "subject", "text": "orders.write failed"}


def test_every_demo_tenant_alerts_the_inbox_the_demo_starts() -> None:
    loaded = load_tenants(REPO / "include" / "tenants")
    assert loaded.errors == []
    webhooks = [tenant.operations.alerts.webhook for tenant in loaded.tenants]
    assert [webhook.conn_id if webhook else None for webhook in webhooks] == ["demo_alerts"] * 3
    connection = json.loads(demo_environment()["AIRFLOW_CONN_DEMO_ALERTS"])
    assert connection == {"conn_type": "http", "host": f"http://127.0.0.1:{ALERT_PORT}"}
