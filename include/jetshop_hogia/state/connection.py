"""Airflow glue: turn the Airflow connection ``sync_state`` into a SQLAlchemy URL for ``StateStore``.

The only module of the package that touches Airflow, and only inside the function, so the domain core
imports without Airflow installed. Accepted connection shapes:

* any type, with ``extra = {"sqlalchemy_url": "postgresql+psycopg2://…"}`` (most explicit);
* ``conn_type`` ``postgres``/``postgresql``: host, port, login, password, schema (= database name), and
  optionally ``extra = {"search_path": "sync_state"}`` to keep the tables in their own schema;
* ``conn_type`` ``sqlite``: ``host`` is the database file path.

Why a missing connection is an error, and SQLite needs an opt-in
----------------------------------------------------------------
The ledger is what makes "at most one invoice per order" hold across workers, retries and backfills.
A silent fallback to a local SQLite file would give every worker machine its own ledger, and exactly-once
would be gone without a word. So without ``sync_state`` the first step that needs the store fails with a
:class:`StateStoreNotConfiguredError` that says how to create it; and a SQLite store (configured, or the
``$AIRFLOW_HOME`` fallback) is used only when the deployment sets ``JETSHOP_HOGIA_ALLOW_SQLITE_STATE=1``
— the demo and the tests do — and then with a warning that it is single-worker only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from jetshop_hogia.errors import SetupError
from jetshop_hogia.state.errors import StateStoreError

log = logging.getLogger(__name__)

DEFAULT_CONN_ID = "sync_state"
DEFAULT_SQLITE_FILENAME = "jetshop_hogia_state.db"
ALLOW_SQLITE_ENV = "JETSHOP_HOGIA_ALLOW_SQLITE_STATE"
"""Set to ``1`` to allow a SQLite state store (one machine, one worker): the demo and the tests do."""

_CREATE_EXAMPLE = (
    "airflow connections add {conn_id} --conn-type postgres --conn-host db.internal --conn-port 5432 "
    "--conn-login sync --conn-password '…' --conn-schema integration "
    '--conn-extra \'{{"search_path": "sync_state"}}\''
)


class StateStoreNotConfiguredError(StateStoreError, SetupError):
    """No usable state store: the connection is missing, or it is SQLite without the explicit opt-in.

    A :class:`~jetshop_hogia.errors.SetupError`: the task fails at once, a retry cannot create it."""


def sqlite_allowed() -> bool:
    """Whether this deployment opted in to a SQLite state store (``$JETSHOP_HOGIA_ALLOW_SQLITE_STATE``)."""
    return os.environ.get(ALLOW_SQLITE_ENV, "").strip().lower() in {"1", "true", "yes"}


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
    """The state store URL from Airflow connection ``conn_id``.

    Raises :class:`StateStoreNotConfiguredError` when the connection does not exist (unless SQLite is
    allowed: then the ``$AIRFLOW_HOME`` file, or ``default_path``) or when it is SQLite without opt-in.
    """
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        if not sqlite_allowed():
            raise StateStoreNotConfiguredError(_missing_message(conn_id)) from None
        url = default_sqlite_url(default_path)
        log.warning("state store: connection %r does not exist; using the SQLite fallback", conn_id)
    else:
        url = url_from_connection(conn)
    return checked_backend(url, conn_id)


def checked_backend(url: str, conn_id: str = DEFAULT_CONN_ID) -> str:
    """``url`` unchanged, unless it is SQLite and the deployment did not opt in (then an error)."""
    if make_url(url).get_backend_name() != "sqlite":
        return url
    if not sqlite_allowed():
        raise StateStoreNotConfiguredError(
            f"the state store connection {conn_id!r} points at SQLite, which keeps one ledger per machine: "
            f"with more than one worker an order can be invoiced twice. Use PostgreSQL "
            f"({_CREATE_EXAMPLE.format(conn_id=conn_id)}), or set {ALLOW_SQLITE_ENV}=1 for a single-worker "
            "deployment"
        )
    log.warning(
        "state store: SQLite (%s=1) is single-worker only; with several workers or machines each keeps "
        "its own ledger and exactly-once no longer holds — use PostgreSQL for production",
        ALLOW_SQLITE_ENV,
    )
    return url


def _missing_message(conn_id: str) -> str:
    return (
        f"the state store connection {conn_id!r} does not exist; the sync cannot run without its ledger. "
        f"Create it, e.g. `{_CREATE_EXAMPLE.format(conn_id=conn_id)}` "
        f'(or AIRFLOW_CONN_{conn_id.upper()}=\'{{"conn_type": "generic", "extra": '
        '{"sqlalchemy_url": "postgresql+psycopg2://…"}}\'). '
        f"A single-worker deployment may use SQLite instead by setting {ALLOW_SQLITE_ENV}=1."
    )
