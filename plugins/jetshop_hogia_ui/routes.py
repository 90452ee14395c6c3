"""The page's routes: overview, one tenant, the DAG-tab shortcut, and the release action.

Handlers are plain ``def``: FastAPI runs them in its thread pool, so the (blocking) state-store queries
never stall the api-server's event loop. Every route requires a user authenticated by Airflow
(``get_user``) and checks the tenant's DAG permission (see ``auth``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from airflow.api_fastapi.auth.managers.models.base_user import BaseUser
from airflow.api_fastapi.core_api.security import get_user
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from jetshop_hogia.config import Flow, TenantConfig, dag_id_for, tenant_id_from_dag_id
from jetshop_hogia.operations.quarantine import list_open, release
from jetshop_hogia.status import (
    DEFAULT_DAYS,
    TenantSnapshot,
    overview_page,
    recent_days,
    summary_of,
    tenant_health,
)
from jetshop_hogia_ui import auth, views
from jetshop_hogia_ui.rendering import render
from jetshop_hogia_ui.sources import state_store, tenant_catalog

router = APIRouter()
UserDep = Annotated[BaseUser, Depends(get_user)]
MAX_QUARANTINE_SHOWN = 500


def _render(template: str, request: Request, user: BaseUser, **context: Any) -> HTMLResponse:
    html = render(
        template,
        app_root=str(request.scope.get("root_path", "")),
        user_name=auth.user_name(user),
        **context,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _visible(user: BaseUser, snapshot: TenantSnapshot) -> TenantSnapshot:
    """The snapshot restricted to the tenants whose DAG ``user`` may read."""
    if auth.can_read_all_dags(user):
        return snapshot
    allowed = auth.readable(user, [dag_id_for(t.tenant_id) for t in snapshot.tenants])
    return TenantSnapshot(
        tuple(t for t in snapshot.tenants if dag_id_for(t.tenant_id) in allowed), snapshot.errors
    )


def _tenant(user: BaseUser, tenant_id: str) -> TenantConfig:
    tenant = tenant_catalog().snapshot().by_id(tenant_id)
    if tenant is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no tenant {tenant_id!r}")
    auth.require_read(user, dag_id_for(tenant_id))
    return tenant


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(
    request: Request,
    user: UserDep,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
    q: Annotated[str, Query(max_length=100)] = "",
    flow: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    """All tenants the user may read, a page at a time; ``flow`` is empty ("all flows") or one flow."""
    flows = [f.value for f in Flow]
    if flow and flow not in flows:
        raise HTTPException(422, f"flow must be one of {flows}")
    snapshot = _visible(user, tenant_catalog().snapshot())
    found = overview_page(state_store(), snapshot, page=page, per_page=per_page, query=q, flow=flow or None)
    now = datetime.now(UTC)
    rows = [(summary, views.health_class(summary, now)) for summary in found.items]
    return _render(
        "overview.html",
        request,
        user,
        found=found,
        rows=rows,
        q=q,
        flow=flow,
        flows=flows,
        broken=snapshot.errors,
    )


@router.get("/tenants/{tenant_id}", response_class=HTMLResponse, name="tenant")
def tenant_page(
    request: Request,
    user: UserDep,
    tenant_id: str,
    days: Annotated[int, Query(ge=1, le=92)] = DEFAULT_DAYS,
    released: str | None = None,
    run: str | None = None,
) -> HTMLResponse:
    """One tenant: its health, its open quarantine with release buttons, and its reconciliation days."""
    tenant = _tenant(user, tenant_id)
    store = state_store()
    now = datetime.now(UTC)
    summary = summary_of(tenant, tenant_health(store, [tenant_id])[tenant_id])
    entries = list_open(store, tenant_id)
    day_list = recent_days(store, tenant_id, tenant.timezone, now, days=days)
    currency = views.main_currency(day_list)
    return _render(
        "tenant.html",
        request,
        user,
        tenant=tenant,
        summary=summary,
        health=views.health_class(summary, now),
        entries=entries[:MAX_QUARANTINE_SHOWN],
        entries_total=len(entries),
        may_release=auth.may_release(user, summary.dag_id),
        days=list(reversed(day_list)),
        counts_chart=views.counts_chart(day_list),
        amounts_chart=views.amounts_chart(day_list, currency) if currency else None,
        released=released,
        released_run=run,
    )


@router.get("/by-dag/{dag_id}", name="by_dag")
def by_dag(request: Request, user: UserDep, dag_id: str) -> RedirectResponse:
    """The DAG page's "Sync status" tab: straight to that DAG's tenant."""
    tenant_id = tenant_id_from_dag_id(dag_id)
    if tenant_id is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{dag_id} is not a tenant sync DAG")
    links = views.Links(str(request.scope.get("root_path", "")).rstrip("/"))
    return RedirectResponse(links.tenant(tenant_id), status_code=status.HTTP_303_SEE_OTHER)


@router.post("/tenants/{tenant_id}/release", name="release")
def release_record(
    request: Request,
    user: UserDep,
    tenant_id: str,
    stream: Annotated[str, Form(max_length=64)],
    shop_id: Annotated[str, Form(max_length=64)],
    record_key: Annotated[str, Form(max_length=128)],
) -> RedirectResponse:
    """Release one quarantined record; back to the tenant page with what happened."""
    auth.require_same_origin(request)
    _tenant(user, tenant_id)
    if not auth.may_release(user, dag_id_for(tenant_id)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "you may not release records of this tenant")
    store = state_store()
    with store.transaction() as tx:  # the run that quarantined it: the one to clear so it is sent
        entry = tx.quarantine.get(tenant_id, stream, record_key, shop_id=shop_id)
    done = release(store, tenant_id=tenant_id, stream=stream, record_key=record_key, shop_id=shop_id)
    links = views.Links(str(request.scope.get("root_path", "")).rstrip("/"))
    query = {"released": f"{stream}/{shop_id}/{record_key}" if done else "none"}
    if done and entry is not None and entry.run_id:
        query["run"] = entry.run_id
    return RedirectResponse(f"{links.tenant(tenant_id)}?{urlencode(query)}", status_code=303)
