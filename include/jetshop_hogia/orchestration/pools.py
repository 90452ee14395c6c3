"""Pools: per tenant and per external API, so one busy tenant cannot starve another's API quota.

``fetch`` uses the pool of the system it reads, ``write`` and ``reconcile`` the pool of the system they
change or check, ``transform`` (no network) the default pool. The pools must exist before the DAGs run;
``python -m jetshop_hogia.orchestration.pools`` creates or updates them for every valid tenant through
Airflow's own CLI (``airflow pools import``: one CLI start-up for all pools instead of one per pool,
with the same create-or-update semantics as ``airflow pools set``).

This module imports no Airflow code: the CLI shells out, the naming functions are plain strings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jetshop_hogia.config import TenantConfig, load_tenants
from jetshop_hogia.kernel.stream import Direction

SYSTEMS = ("jetshop", "hogia")


def pool_name(tenant_id: str, system: str) -> str:
    """``tenant_<id>_jetshop`` / ``tenant_<id>_hogia``."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {SYSTEMS}")
    return f"tenant_{tenant_id}_{system}"


def pool_for_step(tenant_id: str, direction: Direction, step: str) -> str | None:
    """The pool a step of a stream runs in; ``None`` means Airflow's default pool."""
    if step == "fetch":
        return pool_name(tenant_id, direction.source)
    if step in ("write", "reconcile"):
        return pool_name(tenant_id, direction.target)
    if step == "transform":
        return None
    raise ValueError(f"unknown step {step!r}")


def pool_specs(tenants: Iterable[TenantConfig]) -> dict[str, dict[str, Any]]:
    """The ``airflow pools import`` document for ``tenants``."""
    specs: dict[str, dict[str, Any]] = {}
    for tenant in tenants:
        for system in SYSTEMS:
            specs[pool_name(tenant.tenant_id, system)] = {
                "slots": getattr(tenant.pool_slots, system),
                "description": f"{system} API calls of tenant {tenant.tenant_id}",
                "include_deferred": False,
            }
    return specs


def _airflow_executable() -> str:
    beside_python = Path(sys.executable).with_name("airflow")
    return str(beside_python) if beside_python.exists() else "airflow"


def main(argv: Sequence[str] | None = None) -> int:
    """Create/update the pools of every valid tenant; exit 1 if some tenant file is broken."""
    parser = argparse.ArgumentParser(prog="python -m jetshop_hogia.orchestration.pools", description=__doc__)
    parser.add_argument("--tenants-dir", type=Path, default=None, help="default: $JETSHOP_HOGIA_TENANTS_DIR")
    parser.add_argument("--dry-run", action="store_true", help="print the pools document, change nothing")
    args = parser.parse_args(argv)

    loaded = load_tenants(args.tenants_dir)
    for error in loaded.errors:
        print(f"skipped: {error}", file=sys.stderr)
    document = json.dumps(pool_specs(loaded.tenants), indent=2, sort_keys=True)
    if args.dry_run:
        print(document)
    elif loaded.tenants:
        with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="pools-", delete=False) as handle:
            handle.write(document)
        try:
            subprocess.run([_airflow_executable(), "pools", "import", handle.name], check=True)
        finally:
            Path(handle.name).unlink(missing_ok=True)
    return 1 if loaded.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
