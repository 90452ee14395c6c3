"""Fixtures of the dry-run tests: the catalog and order helpers are shared with their own test folders."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in ("catalog", "orders", "order_status"):
    sys.path.insert(0, str(HERE.parent / folder))

# the end-to-end fixtures (demo tenant on the simulators, sync_state on SQLite or PostgreSQL), shared
_spec = importlib.util.spec_from_file_location("e2e_fixtures", HERE.parent / "e2e" / "conftest.py")
assert _spec is not None
assert _spec.loader is not None
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
demo_tenant_env = _e2e.demo_tenant_env
state_url = _e2e.state_url
