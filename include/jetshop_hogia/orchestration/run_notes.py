"""Put a step's one-line summary on its DAG run's note, so it shows in the grid next to the run.

Airflow 3 keeps DAG-run notes in the metadata database, and tasks have no database access: the Task SDK's
Execution API can *read* a run's note (``context["dag_run"].note``) but offers no call to set one. The
public REST API does (``PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}`` with ``{"note": …}``), so the task
calls it with an API user taken from an Airflow connection (default ``airflow_api``: host = the API
server's base URL, login/password = a user allowed to edit DAG runs; a JWT from ``/auth/token``).

Setting a note is a convenience: without the connection, or when the API refuses, the task logs why and
goes on — the same line is in the reconcile log and the state store either way.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote

log = logging.getLogger(__name__)

API_CONN_ENV = "JETSHOP_HOGIA_API_CONN_ID"
DEFAULT_API_CONN_ID = "airflow_api"
MAX_NOTE = 1000
"""The REST API's limit for a DAG-run note."""


def publish_run_note(dag_id: str, run_id: str, note: str, *, timeout: float = 10) -> bool:
    """Set the note of run ``run_id`` of ``dag_id``; True when the API accepted it (never raises)."""
    import requests
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    conn_id = os.environ.get(API_CONN_ENV, "").strip() or DEFAULT_API_CONN_ID
    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        log.info("run note not set: no Airflow connection %r for the REST API", conn_id)
        return False
    base = (conn.host or "").rstrip("/")
    if conn.port and base.count(":") < 2:
        base = f"{base}:{conn.port}"
    try:
        token = requests.post(
            f"{base}/auth/token",
            json={"username": conn.login, "password": conn.password},
            timeout=timeout,
        )
        token.raise_for_status()
        answer = requests.patch(
            f"{base}/api/v2/dags/{quote(dag_id, safe='')}/dagRuns/{quote(run_id, safe='')}",
            params={"update_mask": "note"},
            json={"note": note[:MAX_NOTE]},
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=timeout,
        )
        answer.raise_for_status()
    except (requests.RequestException, KeyError, ValueError) as exc:
        log.warning("run note not set: %s", type(exc).__name__)
        return False
    return True
