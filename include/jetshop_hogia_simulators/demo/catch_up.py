"""The demo's first runs: one manual run per tenant over the seeded history, so the first screen is full.

The Jetshop simulator, started without ``start``, anchors its seeded orders at the moment it starts
(``JetshopSimulator.epoch``: they are spread over the ``HISTORY_DAYS`` before it) — before any scheduled
window and, for the unsent ones, never owed by the ledger — so no scheduled run would ever send them.
One run per tenant with ``window_start``/``window_end`` over those days invoices them through the same
code path as any run (the ledger makes a second ``make demo`` harmless: the run id is fixed and an
existing run is left alone).

The window is computed from two moments the demo takes around the simulator's start, because the
epoch itself is not published: every seeded order lies in ``(epoch - HISTORY_DAYS, epoch]`` and
``started_before <= epoch <= started_after``. (An earlier version used ``seed.DEFAULT_START``, the
anchor of ``generate_world``'s default, which the running simulator does not use: the first runs then
covered 17–21 November and invoiced nothing.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jetshop_hogia.config import load_tenants

HISTORY_DAYS = 3
"""``seed.generate_world``'s default spread of the seeded orders before ``DEFAULT_START``."""
RUN_ID = "initial_catch_up"


def history_window(started_before: datetime, started_after: datetime) -> dict[str, str]:
    """``window_start``/``window_end`` (UTC date-times) covering every seeded order.

    ``started_before``/``started_after``: aware moments taken just before the Jetshop simulator was
    started and once it answered; its seeding epoch lies between them.
    """
    start = started_before.astimezone(UTC).replace(microsecond=0) - timedelta(days=HISTORY_DAYS)
    end = started_after.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)  # end is exclusive
    return {"window_start": start.isoformat(), "window_end": end.isoformat()}


def trigger_initial_runs(
    env: dict[str, str], started_before: datetime, started_after: datetime
) -> Iterator[tuple[str, str]]:
    """Trigger ``initial_catch_up`` for each demo tenant that does not have it yet; yields what it made."""
    airflow = str(Path(sys.executable).parent / "airflow")
    conf = json.dumps(history_window(started_before, started_after))
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
