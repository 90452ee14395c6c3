"""Who may see and do what on the Sync status page, decided by Airflow's configured auth manager.

The user comes from Airflow's own dependency (``get_user``: the UI's JWT cookie or a bearer token), so the
page needs no login of its own and obeys whatever auth manager the deployment runs (simple, FAB,
Keycloak…). A tenant's data is its DAG's data: a user sees a tenant when they may read DAG
``sync_<tenant>``, and may release its quarantined records when they may change that DAG's task instances
(releasing makes the next run push the record again — what clearing a task does for a task). With the
simple auth manager that is: viewers look, users and above release.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import HTTPException, Request, status


def can_read_all_dags(user: Any) -> bool:
    """Whether ``user`` may read every DAG (then no per-tenant check is needed)."""
    from airflow.api_fastapi.app import get_auth_manager

    return bool(get_auth_manager().is_authorized_dag(method="GET", user=user))


def readable(user: Any, dag_ids: Iterable[str]) -> set[str]:
    """The DAG ids among ``dag_ids`` that ``user`` may read."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import DagDetails

    manager = get_auth_manager()
    if can_read_all_dags(user):
        return set(dag_ids)
    return {
        dag_id
        for dag_id in dag_ids
        if manager.is_authorized_dag(method="GET", user=user, details=DagDetails(id=dag_id))
    }


def require_read(user: Any, dag_id: str) -> None:
    """403 unless ``user`` may read DAG ``dag_id``."""
    if dag_id not in readable(user, [dag_id]):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"you may not read {dag_id}")


def may_release(user: Any, dag_id: str) -> bool:
    """Whether ``user`` may change the task instances of DAG ``dag_id`` (release its quarantine)."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity, DagDetails

    return bool(
        get_auth_manager().is_authorized_dag(
            method="PUT",
            access_entity=DagAccessEntity.TASK_INSTANCE,
            user=user,
            details=DagDetails(id=dag_id),
        )
    )


def require_same_origin(request: Request) -> None:
    """Refuse a state-changing request another site made the browser send (CSRF).

    Airflow's cookie is ``SameSite=Lax`` already; this adds the standard header check: a browser marks a
    cross-site request in ``Sec-Fetch-Site`` and ``Origin``, and a form post from the page itself is
    ``same-origin``. Clients that send neither (scripts with a bearer token) are not browsers.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-site request refused")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-origin request refused")


def user_name(user: Any) -> str:
    """The user's display name (for the page header)."""
    getter = getattr(user, "get_name", None)
    return str(getter()) if callable(getter) else str(user)
