"""Test helper: Airflow connections to the running simulators, as ``AIRFLOW_CONN_<ID>`` JSON (no DB).

Both helpers give the client a generous rate limit by default so functional tests are not paced;
the rate-limit tests pass their own numbers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from jetshop_hogia_provider.transport import RetryPolicy
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

FAST_RETRY = RetryPolicy(max_attempts=4, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)


def hogia_connection(
    monkeypatch: pytest.MonkeyPatch,
    sim: HogiaSimHandle,
    conn_id: str = "hogia_sim",
    *,
    company: DemoCompany | None = None,
    password: str | None = None,
    **extra: Any,
) -> str:
    """Define connection ``conn_id`` (type ``hogia_smart``) to ``sim``; returns the id."""
    company = company or sim.company
    conn = {
        "conn_type": "hogia_smart",
        "host": sim.url,
        "login": company.client_id,
        "password": password if password is not None else company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000, **extra},
    }
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
    return conn_id


def jetshop_connection(
    monkeypatch: pytest.MonkeyPatch,
    sim: JetshopSimHandle,
    conn_id: str = "jetshop_sim",
    *,
    shop: str = "alpha",
    password: str | None = None,
    **extra: Any,
) -> str:
    """Define connection ``conn_id`` (type ``jetshop``) to shop ``shop`` of ``sim``; returns the id."""
    user, real_password = sim.credentials(shop)
    cultures = ",".join(sim.simulator.state.shops[shop].cultures)
    conn = {
        "conn_type": "jetshop",
        "host": sim.endpoint,
        "login": user,
        "password": password if password is not None else real_password,
        "extra": {"shop_id": shop, "cultures": cultures, "requests_per_second": 1000, **extra},
    }
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
    return conn_id
