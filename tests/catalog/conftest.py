"""Fixtures of the catalog-stream tests: simulators without Hogia rate limit, a SQLite state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


@pytest.fixture
def sims(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle) -> tuple[JetshopSimHandle, HogiaSimHandle]:
    """Both simulators, reset; Hogia's rate limit off (the functional tests are about correctness)."""
    hogia_sim.set_rate_limit(None)
    return jetshop_sim, hogia_sim


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    """A migrated SQLite state store of this test."""
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


@pytest.fixture
def demo_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jetshop_sim: JetshopSimHandle,
    hogia_sim: HogiaSimHandle,
) -> Path:
    """All three demo tenant files, every demo connection pointing at the simulators, a SQLite
    ``sync_state``, fast retries; returns the tenant folder."""
    import dataclasses
    import json
    import shutil

    from jetshop_hogia.config import TENANTS_DIR_ENV
    from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
    from jetshop_hogia_provider.transport.retry import RetryPolicy
    from jetshop_hogia_simulators.demo.connections import as_environment, demo_connections
    from jetshop_hogia_simulators.seed import generate_world

    folder = tmp_path / "tenants"
    folder.mkdir()
    for tenant_file in (Path(__file__).resolve().parents[2] / "include" / "tenants").glob("*.yaml"):
        shutil.copy(tenant_file, folder / tenant_file.name)
    monkeypatch.setenv(TENANTS_DIR_ENV, str(folder))
    monkeypatch.setenv(RUN_STORAGE_ENV, (tmp_path / "runs").as_uri())
    connections = demo_connections(generate_world(42), jetshop_url=jetshop_sim.url, hogia_url=hogia_sim.url)
    for conn in connections.values():
        extra = conn["extra"]
        assert isinstance(extra, dict)
        extra.update(
            {"requests_per_second": 1000} if conn["conn_type"] == "jetshop" else {"rate_limit_requests": 1000}
        )
    for name, value in as_environment(connections).items():
        monkeypatch.setenv(name, value)
    state = {"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{tmp_path / 'state.db'}"}}
    monkeypatch.setenv("AIRFLOW_CONN_SYNC_STATE", json.dumps(state))
    monkeypatch.delenv("JETSHOP_HOGIA_STATE_STORE_FACTORY", raising=False)
    hogia_sim.set_rate_limit(None)
    fast = dataclasses.replace(
        RetryPolicy(),
        max_attempts=2,
        initial_backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        total_budget_seconds=5,
    )
    defaults = tuple(getattr(fast, field.name) for field in dataclasses.fields(RetryPolicy))
    monkeypatch.setattr(RetryPolicy.__init__, "__defaults__", defaults)
    return folder
