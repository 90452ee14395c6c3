"""Marker of the deployment tests (registered here so the package's pytest settings stay untouched)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes minutes (installs the image's requirements into a fresh virtualenv)"
    )
