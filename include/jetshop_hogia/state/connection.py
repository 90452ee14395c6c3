"""Airflow glue: turn the Airflow connection ``sync_state`` into a SQLAlchemy URL for ``StateStore``.

The only module of the package that touches Airflow, and only inside the function, so the domain core
imports without Airflow installed. Accepted connection shapes:

* any type, with ``extra = {"sqlalchemy_url": "postgresql+psycopg2://…"}`` (most explicit);
* ``conn_type`` ``postgres``/``postgresql``: host, port, login, password, schema (= database name), and
  optionally ``extra = {"search_path": "sync_state"}`` to keep the tables in their own schema;
* ``conn_type`` ``sqlite``: ``host`` is the database file path.

Without the connection the store falls back to SQLite in ``$AIRFLOW_HOME`` (good for one machine).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

DEFAULT_CONN_ID = "sync_state"
DEFAULT_SQLITE_FILENAME = "jetshop_hogia_state.db"


def default_sqlite_url(path: str | os.PathLike[str] | None = None) -> str:
    """SQLite URL of ``path``, or of ``$AIRFLOW_HOME/jetshop_hogia_state.db`` (``~/airflow`` if unset)."""
    if path is None:
        airflow_home = os.environ.get("AIRFLOW_HOME") or str(Path("~/airflow").expanduser())
        path = Path(airflow_home) / DEFAULT_SQLITE_FILENAME
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def url_from_connection(conn: Any) -> str:
    """The SQLAlchemy URL described by an Airflow ``Connection`` (duck-typed: no Airflow import)."""
    extra: dict[str, Any] = conn.extra_dejson or {}
    if extra.get("sqlalchemy_url"):
        return str(extra["sqlalchemy_url"])
    conn_type = (conn.conn_type or "").lower()
    if conn_type in {"postgres", "postgresql"}:
        query = {"options": f"-csearch_path={extra['search_path']}"} if extra.get("search_path") else {}
        return URL.create(
            "postgresql+psycopg2",
            username=conn.login or None,
            password=conn.password or None,
            host=conn.host or None,
            port=conn.port or None,
            database=conn.schema or None,
            query=query,
        ).render_as_string(hide_password=False)
    if conn_type == "sqlite":
        if not conn.host:
            raise ValueError(f"sqlite connection {conn.conn_id!r} needs the database file path as host")
        return default_sqlite_url(conn.host)
    raise ValueError(
        f"connection {conn.conn_id!r} of type {conn_type!r} is not usable as state store: use type "
        "postgres or sqlite, or put a full URL in extra 'sqlalchemy_url'"
    )


def state_store_url(
    conn_id: str = DEFAULT_CONN_ID, *, default_path: str | os.PathLike[str] | None = None
) -> str:
    """The state store URL from Airflow connection ``conn_id``; SQLite fallback when it does not exist."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return default_sqlite_url(default_path)
    return url_from_connection(conn)
