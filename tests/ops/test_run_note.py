"""A run's one-line summary: its shape, and how it reaches the DAG run's note through the REST API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from orders_helpers import SimResources, at_local, break_article, make_run, place_orders, run_steps
from sinks import http_sink

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.orchestration.run_notes import publish_run_note
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]


def test_the_reconcile_headline_counts_outcomes_and_quarantine_reasons(
    sims: Sims, tenant: TenantConfig, resources: SimResources, tmp_path: Path
) -> None:
    jetshop_sim, _ = sims
    placed = place_orders(jetshop_sim, 4, at_local(9))
    break_article(jetshop_sim, placed[0]["order_id"], "NO-SUCH-ARTICLE")

    note = run_steps(make_run(tenant, resources, tmp_path / "run"))["reconcile"]["run_note"]

    assert note.startswith("orders 2026-11-23 00:00–24:00 (Europe/Stockholm): 3 invoiced, 1 quarantined (1 ")
    assert "0 missing, 0 duplicates; open quarantine of the tenant: 1" in note
    assert "\n" not in note


def test_the_note_is_patched_with_a_token_from_the_api_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    with http_sink({"/auth/token": {"access_token": "t0ken"}}) as api:
        conn = {"conn_type": "http", "host": api.url, "login": "ops", "password": "pw"}
        monkeypatch.setenv("AIRFLOW_CONN_AIRFLOW_API", json.dumps(conn))

        assert publish_run_note("sync_acme", "scheduled__2026-11-24T10:00:00+00:00", "orders …: 3 invoiced")

    token, patch = api.requests
    assert (token.method, token.path, token.body) == (
        "POST",
        "/auth/token",
        {"username": "ops", "password": "pw"},
    )
    assert patch.method == "PATCH"
    assert patch.path == (
        "/api/v2/dags/sync_acme/dagRuns/scheduled__2026-11-24T10%3A00%3A00%2B00%3A00?update_mask=note"
    )
    assert patch.headers["Authorization"] == "Bearer t0ken"
    assert patch.body == {"note": "orders …: 3 invoiced"}


def test_without_an_api_connection_the_note_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_AIRFLOW_API", raising=False)

    assert publish_run_note("sync_acme", "manual__x", "note") is False
