"""Fixtures shared by the whole suite: service URLs and running simulators.

PostgreSQL and Redis tests run for real against the machine's services. Locally, when a service is not
reachable, those tests skip with the reason; under ``CI=true`` they fail instead, so a green CI always
means they ran.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

POSTGRES_URL = os.environ.get("SYNC_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SYNC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _require_service(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    reason = f"{name} is not reachable at {host}:{port}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true this test must run, not skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the machine's PostgreSQL test database."""
    _require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the machine's Redis (database 15, flushed by the tests that use it)."""
    _require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture
def free_tcp_port() -> Iterator[int]:
    """A free loopback port."""
    from jetshop_hogia.simulators.common.server import free_port

    yield free_port()
