"""Fixtures of the DAG-factory tests: registered fake streams and a tenant folder of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tenant_dag_helpers import FakeOrders, FakeStock

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.config.cache import CACHE_DIR_ENV, forget_open_caches
from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV


@pytest.fixture
def fake_streams() -> Iterator[None]:
    """``fake_orders`` and ``fake_stock`` in the process-wide registry, for this test only."""
    REGISTRY.register(FakeOrders)
    REGISTRY.register(FakeStock)
    yield
    REGISTRY.unregister(FakeOrders.name)
    REGISTRY.unregister(FakeStock.name)


@pytest.fixture
def tenants_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty tenant folder that the factory reads (via the env override), with its own parse cache."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    monkeypatch.setenv(TENANTS_DIR_ENV, str(folder))
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "parse-cache"))
    forget_open_caches()
    yield folder
    forget_open_caches()


@pytest.fixture
def run_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run directories go under this folder (``file://`` URI through the env override)."""
    folder = tmp_path / "runs"
    monkeypatch.setenv(RUN_STORAGE_ENV, folder.as_uri())
    return folder
