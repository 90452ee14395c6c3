"""Fixtures of the manual DAG tests: the e2e tests' demo tenant wired to the simulators, and helpers.

The fixtures ``demo_tenant_env`` and ``state_url`` are the end-to-end tests' own (``tests/e2e/conftest.py``),
loaded under a name of their own so both folders can run in one session.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_E2E = Path(__file__).resolve().parents[1] / "e2e" / "conftest.py"
_spec = importlib.util.spec_from_file_location("manual_dags_e2e_fixtures", _E2E)
assert _spec is not None
assert _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

demo_tenant_env = _fixtures.demo_tenant_env
state_url = _fixtures.state_url
