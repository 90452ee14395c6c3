"""Fixtures of the hook and transport tests: a scripted service on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hook_test_service import ScriptedService, scripted_app

from jetshop_hogia_simulators.common.server import ThreadedServer, running


@pytest.fixture
def service() -> ScriptedService:
    """A fresh script."""
    return ScriptedService()


@pytest.fixture
def server(service: ScriptedService) -> Iterator[ThreadedServer]:
    """The scripted service, listening on a free loopback port."""
    with running(scripted_app(service)) as srv:
        yield srv
