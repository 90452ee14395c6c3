"""The overview page's data: tenant files paged and filtered, joined with their health from the store."""

from __future__ import annotations

from jetshop_hogia.config import TenantConfig, dag_id_for
from jetshop_hogia.state import StateStore
from jetshop_hogia.status.catalog import TenantSnapshot
from jetshop_hogia.status.health import tenant_health
from jetshop_hogia.status.records import Page, TenantHealth, TenantSummary

MAX_PER_PAGE = 200


def summary_of(tenant: TenantConfig, health: TenantHealth) -> TenantSummary:
    """One overview line."""
    return TenantSummary(
        tenant_id=tenant.tenant_id,
        name=tenant.name,
        flow=tenant.flow.value,
        plan=int(tenant.plan),
        schedule=tenant.schedule,
        timezone=tenant.timezone,
        streams=tuple(tenant.streams),
        dag_id=dag_id_for(tenant.tenant_id),
        health=health,
    )


def overview_page(
    store: StateStore,
    snapshot: TenantSnapshot,
    *,
    page: int = 1,
    per_page: int = 50,
    query: str = "",
    flow: str | None = None,
) -> Page[TenantSummary]:
    """Page ``page`` (1-based) of the tenants matching ``query``/``flow``, sorted by tenant id.

    Only the page's tenants are looked up in the state store (see ``health``), so the cost does not grow
    with the number of tenants.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    matching = snapshot.matching(query, flow)
    pages = max(1, -(-len(matching) // per_page))
    page = max(1, min(page, pages))
    chosen = matching[(page - 1) * per_page : page * per_page]
    health = tenant_health(store, [tenant.tenant_id for tenant in chosen])
    return Page(
        items=[summary_of(tenant, health[tenant.tenant_id]) for tenant in chosen],
        page=page,
        per_page=per_page,
        total=len(matching),
    )
