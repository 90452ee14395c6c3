"""Fixtures of the order status tests: the order stream's helpers, a feedback tenant, a state store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "orders"))  # orders_helpers, shared

from orders_helpers import SimResources
from status_helpers import feedback_tenant

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


@pytest.fixture
def sims(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle) -> tuple[JetshopSimHandle, HogiaSimHandle]:
    """Both simulators, reset; Hogia's rate limit off."""
    hogia_sim.set_rate_limit(None)
    return jetshop_sim, hogia_sim


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


@pytest.fixture
def tenant(monkeypatch: pytest.MonkeyPatch, sims: tuple[JetshopSimHandle, HogiaSimHandle]) -> TenantConfig:
    return feedback_tenant(monkeypatch, *sims)


@pytest.fixture
def resources(tenant: TenantConfig, store: StateStore) -> Iterator[SimResources]:
    made = SimResources(tenant, store)
    yield made
    made.close()
