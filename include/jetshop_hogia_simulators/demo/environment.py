"""The environment every demo process shares: Airflow settings, connections, folders.

One place decides it, so the simulators, ``airflow standalone``, the pools command and any
``python -m jetshop_hogia_simulators.demo airflow …`` call the user makes all see the same configuration.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from jetshop_hogia_simulators.demo import metadata_db
from jetshop_hogia_simulators.demo.connections import as_environment, demo_connections
from jetshop_hogia_simulators.demo.processes import DEMO_DIR
from jetshop_hogia_simulators.seed import generate_world

REPO_ROOT = Path(__file__).resolve().parents[3]
JETSHOP_PORT = 8101
HOGIA_PORT = 8102
ALERT_PORT = 8103
ALERTS_FILE = DEMO_DIR / "alerts.jsonl"
"""The demo's alert inbox (``alert_sink``): the tenants' webhook alerts land here."""
AIRFLOW_PORT = 8080
ADMIN_USER = "admin"
DEMO_TIMEZONE = "Europe/Stockholm"
SECRETS_FILE = DEMO_DIR / "secrets.json"


def demo_secrets() -> dict[str, str]:
    """The demo's admin password and JWT secret, made once and kept in ``.demo/secrets.json``."""
    if SECRETS_FILE.exists():
        stored: dict[str, str] = json.loads(SECRETS_FILE.read_text(encoding="utf-8"))
        return stored
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    made = {"admin_password": secrets.token_urlsafe(9), "jwt_secret": secrets.token_urlsafe(32)}
    SECRETS_FILE.write_text(json.dumps(made), encoding="utf-8")
    SECRETS_FILE.chmod(0o600)
    return made


def airflow_home() -> Path:
    """The demo's own AIRFLOW_HOME (never the user's ~/airflow)."""
    return DEMO_DIR / "airflow"


def demo_environment(*, seed: int = 42) -> dict[str, str]:
    """Environment variables for every demo process."""
    held = demo_secrets()
    home = airflow_home()
    world = generate_world(seed)
    connections = demo_connections(
        world,
        jetshop_url=f"http://127.0.0.1:{JETSHOP_PORT}",
        hogia_url=f"http://127.0.0.1:{HOGIA_PORT}",
    )
    connections["sync_state"] = {"conn_type": "sqlite", "host": str(DEMO_DIR / "sync_state.sqlite")}
    # the demo tenants' webhook alerts (operations.alerts.webhook) go to the local alert inbox
    connections["demo_alerts"] = {"conn_type": "http", "host": f"http://127.0.0.1:{ALERT_PORT}"}
    # the reconcile step sets each run's note (grid summary) through the REST API as this user
    connections["airflow_api"] = {
        "conn_type": "http",
        "host": f"http://127.0.0.1:{AIRFLOW_PORT}",
        "login": ADMIN_USER,
        "password": held["admin_password"],
    }
    return {
        # airflow standalone starts its components as `airflow …` found on PATH: put this venv first.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),  # the Sync status page
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
        "AIRFLOW__API_AUTH__JWT_SECRET": held["jwt_secret"],
        "AIRFLOW__API__PORT": str(AIRFLOW_PORT),
        "AIRFLOW__API__HOST": "127.0.0.1",  # the demo's UI and API stay on this machine
        # tasks reach the Execution API here; "localhost" may resolve to ::1, where nothing listens
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{AIRFLOW_PORT}/execution/",
        # naive dates on the CLI (backfill, trigger) mean the tenants' time; the UI follows the browser's
        # time zone (Airflow 3.3 has no server-side UI default): pick Europe/Stockholm in the user menu
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": DEMO_TIMEZONE,
        "TZ": DEMO_TIMEZONE,
        **metadata_db.environment(home),
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "30",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "JETSHOP_HOGIA_ALLOW_SQLITE_STATE": "1",  # the demo's ledger is one SQLite file (one machine)
        **as_environment(connections),
    }


def write_admin_password(home: Path) -> str:
    """Pre-seed SimpleAuthManager's password file so the login is known before Airflow starts."""
    password = demo_secrets()["admin_password"]
    home.mkdir(parents=True, exist_ok=True)
    target = home / "simple_auth_manager_passwords.json.generated"
    target.write_text(json.dumps({ADMIN_USER: password}), encoding="utf-8")
    target.chmod(0o600)
    return password
