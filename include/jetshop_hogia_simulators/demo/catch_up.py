"""The demo's first runs: one manual run per tenant over the seeded history, so the first screen is full.

The simulators start with orders placed in the days before ``seed.DEFAULT_START`` — older than the
tenants' look-back and before any scheduled window — so no scheduled run would ever send them. One
run per tenant with ``window_start``/``window_end`` over those days invoices them through the same
code path as any run (the ledger makes a second ``make demo`` harmless: the run id is fixed and an
existing run is left alone).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from jetshop_hogia.config import load_tenants
from jetshop_hogia_simulators.seed import DEFAULT_START

HISTORY_DAYS = 3
"""``seed.generate_world``'s default spread of the seeded orders before ``DEFAULT_START``."""
RUN_ID = "initial_catch_up"


def history_window() -> dict[str, str]:
    """``window_start``/``window_end`` (local dates) covering every seeded order."""
    first = (DEFAULT_START - timedelta(days=HISTORY_DAYS)).date()
    return {
        "window_start": first.isoformat(),
        "window_end": (DEFAULT_START.date() + timedelta(days=1)).isoformat(),
    }


def trigger_initial_runs(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Trigger ``initial_catch_up`` for each demo tenant that does not have it yet; yields what it made."""
    airflow = str(Path(sys.executable).parent / "airflow")
    conf = json.dumps(history_window())
    for tenant in load_tenants().tenants:
        done = subprocess.run(
            [airflow, "dags", "trigger", tenant.dag_id, "--run-id", RUN_ID, "--conf", conf],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode == 0:
            yield tenant.dag_id, RUN_ID
        elif "already exists" not in (done.stdout + done.stderr):
            print(f"{tenant.dag_id}: initial catch-up not triggered: {done.stderr[-300:]}", flush=True)
