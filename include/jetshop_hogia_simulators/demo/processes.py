"""Starting and stopping the demo's background processes, each in its own process group.

``airflow standalone`` does not stop all of its children on SIGTERM (see shared/reference), so every
process the demo starts is a session leader and ``make stop`` signals the whole group.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

DEMO_DIR = Path(os.environ.get("SYNC_DEMO_DIR", ".demo")).resolve()
PIDS_FILE = DEMO_DIR / "pids.json"


def start(name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    """Start ``argv`` detached in a new session, logging to ``.demo/<name>.log``; returns its pid."""
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    log = (DEMO_DIR / f"{name}.log").open("ab")
    proc = subprocess.Popen(
        argv,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    pids = _read_pids()
    pids[name] = proc.pid
    PIDS_FILE.write_text(json.dumps(pids, indent=2), encoding="utf-8")
    return proc.pid


def recorded() -> dict[str, int]:
    """Name → pid of every process the demo started (alive or not)."""
    return _read_pids()


def _read_pids() -> dict[str, int]:
    if not PIDS_FILE.exists():
        return {}
    data: dict[str, int] = json.loads(PIDS_FILE.read_text(encoding="utf-8"))
    return data


def alive(pid: int) -> bool:
    """True while the process exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_all(grace_seconds: float = 10.0) -> list[str]:
    """SIGTERM every recorded process group, SIGKILL what is left after the grace period."""
    pids = _read_pids()
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids.values()):
        time.sleep(0.2)
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    PIDS_FILE.unlink(missing_ok=True)
    return sorted(pids)
