"""Tenant configuration: one validated YAML file per merchant (``include/tenants/<tenant_id>.yaml``).

Pure Python (pydantic + PyYAML), no Airflow: the DAG factory, the streams and the tests all read tenants
through :func:`load_tenants` / :func:`load_tenant`. The folder is ``$JETSHOP_HOGIA_TENANTS_DIR`` when set.

Schema (every key not listed here is an error)::

    tenant_id: beta_erp_led           # = the file name; [a-z][a-z0-9_]*; DAGs sync_ and initial_sync_<id>
    name: Beta Växter AB              # optional, shown in the DAG docs
    flow: erp_led                     # shop_led | erp_led | combo
    plan: 400                         # 100 | 200 | 400 | 800 (gates features, see rules.FEATURE_MIN_PLAN)
    timezone: Europe/Stockholm        # default; the run windows follow it (DST included)
    schedule: "*/15 * * * *"          # default; cron, each run owns [start, end) of one interval
    start_date: 2026-01-01            # default
    shops:                            # ≥ 1; several shops or channels = multishop (plan ≥ 400)
      - id: beta                      # short, unique in the tenant
        connection_id: jetshop_beta   # Airflow connection of type `jetshop`
        channels:
          - {channel_id: 1, currency: SEK, price_list: <GUID>, tag: SE}   # price_list and tag optional
    hogia: {connection_id: hogia_beta}           # Airflow connection of type `hogia_smart`
    order_trigger_statuses: [2]                  # Jetshop status ids that send an order to Hogia
    customer_matching: {match_on: email, create_missing: true}   # or match_on: customer_number
    order_status_feedback:                       # optional; erp_led/combo, plan ≥ 200
      enabled: true
      statuses:                                  # delivered | invoiced | paid | cancelled
        delivered: {jetshop_status_id: 3, send_mail: true, send_tracking: true, capture_payment: true}
    streams: [orders]                            # registered stream names (checked at DAG build)
    mapping_plugins:                             # optional, plan ≥ 800, applied in this order
      - my_package.plugins:fix_names
      - {plugin: my_package.plugins:tag_b2b, params: {prefix: "B2B"}}
    pool_slots: {jetshop: 2, hogia: 1}           # optional: concurrent tasks per API
"""

from __future__ import annotations

from jetshop_hogia.config.errors import Problem, TenantConfigError, TenantConfigErrors
from jetshop_hogia.config.loader import (
    TENANTS_DIR_ENV,
    LoadResult,
    find_tenant_file,
    load_tenant,
    load_tenant_file,
    load_tenants,
    tenants_dir,
)
from jetshop_hogia.config.models import (
    ChannelConfig,
    CustomerMatching,
    Flow,
    HogiaConfig,
    HogiaStatus,
    MatchOn,
    OrderStatusFeedback,
    Plan,
    PluginRef,
    PoolSlots,
    ShopConfig,
    StatusFeedback,
    TenantConfig,
    dag_id_for,
    initial_sync_dag_id_for,
    tenant_id_from_dag_id,
    tenant_id_from_initial_sync_dag_id,
)
from jetshop_hogia.config.rules import (
    FEATURE_MIN_PLAN,
    Feature,
    StreamCatalog,
    StreamRequirements,
    check_rules,
    check_streams,
    plan_allows,
)

__all__ = [
    "FEATURE_MIN_PLAN",
    "TENANTS_DIR_ENV",
    "ChannelConfig",
    "CustomerMatching",
    "Feature",
    "Flow",
    "HogiaConfig",
    "HogiaStatus",
    "LoadResult",
    "MatchOn",
    "OrderStatusFeedback",
    "Plan",
    "PluginRef",
    "PoolSlots",
    "Problem",
    "ShopConfig",
    "StatusFeedback",
    "StreamCatalog",
    "StreamRequirements",
    "TenantConfig",
    "TenantConfigError",
    "TenantConfigErrors",
    "check_rules",
    "check_streams",
    "dag_id_for",
    "find_tenant_file",
    "initial_sync_dag_id_for",
    "load_tenant",
    "load_tenant_file",
    "load_tenants",
    "plan_allows",
    "tenant_id_from_dag_id",
    "tenant_id_from_initial_sync_dag_id",
    "tenants_dir",
]
