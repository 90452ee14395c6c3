"""Fixtures of the operations tests: the order stream's simulator set-up, reused from tests/orders."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "orders"))

from stream_fixtures import resources, sims, store, tenant  # noqa: F401 - fixtures registered here
