"""The order stream's simulator fixtures, shared by every suite that runs stream steps against them.

Imported into the conftest.py of tests/orders, tests/ops and tests/order_status (a fixture imported into a
conftest is registered there), so the set-up exists once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from orders_helpers import SimResources, connect

from jetshop_hogia.config import TenantConfig
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
def tenant(monkeypatch: pytest.MonkeyPatch, sims: tuple[JetshopSimHandle, HogiaSimHandle]) -> TenantConfig:
    """Tenant ``acme``: Jetshop shop alpha, Hogia company alpha (whole-krona rounding), trigger status 2."""
    return connect(monkeypatch, *sims)


@pytest.fixture
def resources(tenant: TenantConfig, store: StateStore) -> Iterator[SimResources]:
    """Real hooks against the simulators plus the state store."""
    made = SimResources(tenant, store)
    yield made
    made.close()
