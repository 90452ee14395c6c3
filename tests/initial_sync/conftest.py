"""Fixtures of the initial-sync tests: simulators without Hogia rate limit, a SQLite state store, and
helpers from the catalog tests (a tenant on the simulators, real hooks)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalog"))

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
    """A migrated SQLite state store of this test."""
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store
