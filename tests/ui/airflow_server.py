"""A real Airflow api-server for the Sync status tests, in a throw-away AIRFLOW_HOME, on loopback.

Only the api-server runs (plus ``db migrate`` and ``dags reserialize`` so the tenant DAGs exist): the page
and Airflow's own UI need nothing else, and a triggered run just waits queued, which is what the trigger
test checks. Users come from the simple auth manager with passwords written before start: ``admin``
(may release quarantine) and ``viewer`` (may only look).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia_simulators.common.server import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
USERS = {"admin": "admin", "viewer": "viewer"}


@dataclass
class AirflowServer:
    """A running api-server: its URL, its users' passwords, its log."""

    home: Path
    env: dict[str, str]
    port: int
    passwords: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, timeout: float = 180) -> str:
        done = subprocess.run(
            [str(BIN / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert done.returncode == 0, (
            f"airflow {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
        )
        return done.stdout

    def log_tail(self, lines: int = 60) -> str:
        path = self.home / "api-server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def start(self, timeout: float = 120) -> None:
        log = (self.home / "api-server.log").open("wb")
        self.proc = subprocess.Popen(
            [str(BIN / "airflow"), "api-server"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"api-server exited\n{self.log_tail()}"
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/api/v2/monitor/health", timeout=2).ok:
                    return
            time.sleep(0.5)
        raise AssertionError(f"api-server did not come up in {timeout:.0f} s\n{self.log_tail()}")

    def token(self, user: str) -> str:
        """A JWT for ``user`` from the simple auth manager's token endpoint."""
        response = requests.post(
            f"{self.url}/auth/token",
            json={"username": user, "password": self.passwords[user]},
            timeout=10,
        )
        assert response.status_code in (200, 201), response.text
        return str(response.json()["access_token"])

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def prepare(tmp: Path, state_url: str) -> AirflowServer:
    """AIRFLOW_HOME, tenant folder (the three demo tenants), users and a migrated metadata DB."""
    home = tmp / "airflow"
    home.mkdir()
    tenants = tmp / "tenants"
    shutil.copytree(REPO / "include" / "tenants", tenants)
    passwords_file = home / "passwords.json"
    passwords_file.write_text(json.dumps(USERS), encoding="utf-8")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JETSHOP_HOGIA_"))},
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "JETSHOP_HOGIA_ALLOW_SQLITE_STATE": "1",  # one api-server, one SQLite state store: the opt-in
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords_file),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "AIRFLOW_CONN_SYNC_STATE": json.dumps(
            {"conn_type": "generic", "extra": {"sqlalchemy_url": state_url}}
        ),
        TENANTS_DIR_ENV: str(tenants),
    }
    server = AirflowServer(home=home, env=env, port=port, passwords=dict(USERS))
    server.cli("db", "migrate")
    server.cli("dags", "reserialize")
    return server
