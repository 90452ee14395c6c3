"""Read models of the Sync status page: what each tenant's sync looks like, from the state store.

Pure domain code (config + state), no Airflow and no HTML: the UI plugin (plugins/jetshop_hogia_ui)
renders what these functions return, the benchmark times them, and tests check them on SQLite and
PostgreSQL. Everything is read from the state store and the tenant files — never from Airflow's metadata
database.
"""

from jetshop_hogia.status.catalog import TenantCatalog, TenantSnapshot
from jetshop_hogia.status.days import DEFAULT_DAYS, recent_days, summarise_days
from jetshop_hogia.status.health import tenant_health
from jetshop_hogia.status.overview import overview_page, summary_of
from jetshop_hogia.status.records import (
    BACKLOG_STATES,
    Amounts,
    DaySummary,
    Page,
    TenantHealth,
    TenantSummary,
    WindowVerdict,
)

__all__ = [
    "BACKLOG_STATES",
    "DEFAULT_DAYS",
    "Amounts",
    "DaySummary",
    "Page",
    "TenantCatalog",
    "TenantHealth",
    "TenantSnapshot",
    "TenantSummary",
    "WindowVerdict",
    "overview_page",
    "recent_days",
    "summarise_days",
    "summary_of",
    "tenant_health",
]
