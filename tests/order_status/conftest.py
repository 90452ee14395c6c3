"""Fixtures of the order status tests: the order stream's helpers, a feedback tenant, a state store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "orders"))  # orders_helpers, shared

from status_helpers import feedback_tenant
from stream_fixtures import resources, sims, store  # noqa: F401 - fixtures registered here

from jetshop_hogia.config import TenantConfig
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


@pytest.fixture
def tenant(monkeypatch: pytest.MonkeyPatch, sims: tuple[JetshopSimHandle, HogiaSimHandle]) -> TenantConfig:  # noqa: F811
    """The order stream's tenant with order status feedback configured."""
    return feedback_tenant(monkeypatch, *sims)
