"""Two manually triggered DAGs shared by every tenant: ``replay_order`` and ``redrive_quarantine``.

One DAG each for the whole deployment, with the tenant as a trigger parameter, rather than one per tenant:
a thousand tenants would add two thousand DAGs to every parse round (``make bench``), while an operator
replaying an order names the tenant anyway. ``schedule=None``: they run only when triggered.

The trigger form's Params carry JSON-schema patterns, so Airflow refuses a malformed tenant id, shop id or
order number before a run exists. Whether the tenant and shop *exist* is the first task
(``check_request``): a missing one raises a permanent error (``TenantConfigError`` or
:class:`~jetshop_hogia.operations.replay.ReplayRequestError`, a ``SetupError``), so the run fails at once
instead of retrying. The second task does the work with the order stream's own functions
(:mod:`jetshop_hogia.operations.replay`, :mod:`jetshop_hogia.operations.redrive`) and, for the re-drive,
the catalog streams' own steps (:mod:`jetshop_hogia.operations.redrive_catalog`), and returns the
outcome as its XCom result; the log says it in words.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from jetshop_hogia.config.models import TENANT_ID_PATTERN
from jetshop_hogia.orchestration.params import JSON_SCHEMA_DRAFT_07

if TYPE_CHECKING:  # the task callables import these when they run, not at parse time
    from jetshop_hogia.config import TenantConfig
    from jetshop_hogia.operations.redrive import RedriveReport
    from jetshop_hogia.operations.redrive_catalog import CatalogRedriveReport
    from jetshop_hogia.orchestration.resources import AirflowResources

log = logging.getLogger(__name__)

REPLAY_DAG_ID = "replay_order"
REDRIVE_DAG_ID = "redrive_quarantine"
MANUAL_DAG_IDS = (REPLAY_DAG_ID, REDRIVE_DAG_ID)

SHOP_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
ORDER_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
REASON_CODE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
ITEM_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-/+@]{0,127}$"
"""A catalog item key: an article number, or a price row's ``<article>@<price list GUID>``."""


def _string(title: str, pattern: str, description: str, *, optional: bool = False) -> Any:
    from airflow.sdk import Param

    schema = {
        "$schema": JSON_SCHEMA_DRAFT_07,
        "type": ["null", "string"] if optional else "string",
        "pattern": pattern,
        "title": title,
    }
    if optional:
        return Param(None, description=description, schema=schema)
    return Param(description=description, schema=schema)  # no default: the form insists on a value


def _string_list(title: str, pattern: str, description: str) -> Any:
    """An optional list of strings, each matching ``pattern`` (empty: no restriction)."""
    from airflow.sdk import Param

    schema = {
        "$schema": JSON_SCHEMA_DRAFT_07,
        "type": ["null", "array"],
        "items": {"type": "string", "pattern": pattern},
        "title": title,
    }
    return Param(None, description=description, schema=schema)


def _tenant_param() -> Any:
    return _string("tenant", TENANT_ID_PATTERN, "Tenant id: the tenant file's name, e.g. alpha_shop_led")


def replay_params() -> dict[str, Any]:
    """tenant, shop, order number; the Jetshop order id only for an order no run has seen yet."""
    from airflow.sdk import Param

    return {
        "tenant": _tenant_param(),
        "shop": _string("shop", SHOP_ID_PATTERN, "Shop id within the tenant file (shops[].id), e.g. alpha"),
        "order_number": _string("order number", ORDER_NUMBER_PATTERN, "The order number the shop shows"),
        "jetshop_order_id": Param(
            None,
            description="Only for an order the ledger has never seen: its Jetshop order id (a number)",
            schema={
                "$schema": JSON_SCHEMA_DRAFT_07,
                "type": ["null", "integer"],
                "minimum": 1,
                "title": "Jetshop order id",
            },
        ),
    }


def redrive_params() -> dict[str, Any]:
    """tenant; optionally one reason code, some order numbers and/or some catalog item keys.

    Neither list given: every open order and catalog entry; one or both given: only those records.
    """

    return {
        "tenant": _tenant_param(),
        "reason": _string(
            "reason code",
            REASON_CODE_PATTERN,
            "Only entries with this reason code, e.g. unknown_article (empty: every reason)",
            optional=True,
        ),
        "order_numbers": _string_list(
            "order numbers",
            ORDER_NUMBER_PATTERN,
            "Only these order numbers (with neither list filled in: every open entry of the tenant)",
        ),
        "item_keys": _string_list(
            "catalog item keys",
            ITEM_KEY_PATTERN,
            "Only these catalog items: article numbers (a price row: article@price list GUID; an "
            "article number selects all its rows). With neither list filled in: every open entry",
        ),
    }


def check_request(params: dict[str, Any]) -> dict[str, Any]:
    """First task: the tenant file exists and is valid, and names the shop (permanent error otherwise)."""
    from jetshop_hogia.config import load_tenant
    from jetshop_hogia.operations.replay import check_shop

    tenant = load_tenant(str(params["tenant"]))  # TenantConfigError: permanent
    shop = params.get("shop")
    if shop:
        check_shop(tenant, str(shop))
    shops = [shop.id for shop in tenant.shops]
    log.info("tenant %s found (shops %s)", tenant.tenant_id, ", ".join(shops))
    return {"tenant": tenant.tenant_id, "shops": shops}


def run_replay(params: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Second task of ``replay_order``: send the order again; its outcome is the task result."""
    from jetshop_hogia.config import load_tenant
    from jetshop_hogia.operations.replay import replay_order
    from jetshop_hogia.operations.settling import ALREADY_INVOICED, ReplayNotSettled, is_settled
    from jetshop_hogia.orchestration.resources import AirflowResources

    tenant = load_tenant(str(params["tenant"]))
    resources = AirflowResources(tenant)
    try:
        outcome = replay_order(
            tenant=tenant,
            shop_id=str(params["shop"]),
            order_number=str(params["order_number"]),
            jetshop=resources.jetshop(str(params["shop"])),
            hogia=resources.hogia(),
            store=resources.state(),
            run_id=run_id,
            order_id=params.get("jetshop_order_id"),
        )
    finally:
        resources.close()
    if outcome.outcome == ALREADY_INVOICED:
        log.info("order %s is already invoiced: Hogia invoice %s", outcome.order_number, outcome.invoice_id)
    if not is_settled(outcome.outcome):  # red, and the retry sends it again (looked up first)
        detail = f"({outcome.outcome}): {outcome.reason or 'no answer'}"
        raise ReplayNotSettled(f"order {outcome.order_number} not invoiced now {detail}"[:500])
    return dict(outcome.__dict__)


def run_redrive(params: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Second task of ``redrive_quarantine``: re-read and re-send orders and catalog items.

    The task result is the order report with the catalog report under ``catalog``. A failure of either
    part fails the task, but only after the other part ran too (an unreachable Hogia for invoices does not
    keep the fixed products back): a retry or a second trigger re-drives what is still open.
    """
    from jetshop_hogia.config import load_tenant
    from jetshop_hogia.operations.redrive import RedriveReport
    from jetshop_hogia.operations.redrive_catalog import CatalogRedriveReport
    from jetshop_hogia.operations.settling import RedriveNotSettled, is_settled
    from jetshop_hogia.orchestration.resources import AirflowResources

    tenant = load_tenant(str(params["tenant"]))
    order_numbers, item_keys = params.get("order_numbers") or (), params.get("item_keys") or ()
    everything = not order_numbers and not item_keys
    orders, catalog = RedriveReport(), CatalogRedriveReport()
    orders_failure: Exception | None = None
    resources = AirflowResources(tenant)
    try:
        if everything or order_numbers:
            try:
                orders = _redrive_orders(tenant, resources, params, run_id)
            except Exception as error:  # the catalog items are still re-driven; the task fails after
                log.error("orders: re-drive failed: %s: %s", type(error).__name__, error)
                orders_failure = error
        else:
            log.info("orders: not re-driven (only catalog item keys were given)")
        if everything or item_keys:
            catalog = _redrive_items(tenant, resources, params, run_id)  # raises when incomplete: red
        else:
            log.info("catalog items: not re-driven (only order numbers were given)")
    finally:
        resources.close()
    if orders_failure is not None:
        raise orders_failure
    unsettled = [(o.order_number, o.reason or o.outcome) for o in orders.lines() if not is_settled(o.outcome)]
    if unsettled:
        raise RedriveNotSettled(tenant.tenant_id, unsettled)
    return {**orders.to_dict(tenant.tenant_id), "catalog": catalog.to_dict(tenant.tenant_id)}


def _redrive_orders(
    tenant: TenantConfig, resources: AirflowResources, params: dict[str, Any], run_id: str
) -> RedriveReport:
    """The order part of the re-drive (:func:`jetshop_hogia.operations.redrive.redrive_quarantine`)."""
    from jetshop_hogia.operations.redrive import redrive_quarantine

    return redrive_quarantine(
        tenant=tenant,
        jetshop_for=resources.jetshop,
        hogia=resources.hogia(),
        store=resources.state(),
        run_id=run_id,
        reason=params.get("reason") or None,
        order_numbers=params.get("order_numbers") or (),
    )


def _redrive_items(
    tenant: TenantConfig, resources: AirflowResources, params: dict[str, Any], run_id: str
) -> CatalogRedriveReport:
    """The catalog part (:func:`jetshop_hogia.operations.redrive_catalog.redrive_catalog`); raises
    ``CatalogRedriveIncomplete`` after every stream was tried if one failed."""
    from datetime import UTC, datetime

    from jetshop_hogia.operations.redrive_catalog import redrive_catalog
    from jetshop_hogia.orchestration.runtime import run_dir, storage_path_factory

    return redrive_catalog(
        tenant=tenant,
        resources=resources,
        run_id=run_id,
        run_dir=run_dir(tenant.tenant_id, run_id),
        now=datetime.now(UTC),
        reason=params.get("reason") or None,
        item_keys=params.get("item_keys") or (),
        path_factory=storage_path_factory(),
    )


def build_manual_dags() -> dict[str, Any]:
    """``replay_order`` and ``redrive_quarantine`` (see the module docstring)."""
    return {
        REPLAY_DAG_ID: _manual_dag(
            REPLAY_DAG_ID,
            "Send one order again through the order stream (transform, ledger, look-up-first write)",
            replay_params(),
            "replay",
        ),
        REDRIVE_DAG_ID: _manual_dag(
            REDRIVE_DAG_ID,
            "Re-read quarantined orders and catalog items of a tenant and send those that now pass",
            redrive_params(),
            "redrive",
        ),
    }


def _manual_dag(dag_id: str, description: str, params: dict[str, Any], job: str) -> Any:
    """check_request >> the job; PythonOperator hands each callable ``params`` and ``run_id`` by name."""
    import pendulum
    from airflow.providers.standard.operators.python import PythonOperator
    from airflow.sdk import DAG

    from jetshop_hogia.orchestration.factory import DEFAULT_ARGS, TAG

    with DAG(
        dag_id=dag_id,
        description=description,
        schedule=None,
        start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
        catchup=False,
        is_paused_upon_creation=False,  # it runs only when triggered: a trigger must not wait
        max_active_runs=4,
        default_args=DEFAULT_ARGS,
        params=params,
        tags=[TAG, "operations", "manual"],
        doc_md=__doc__,
    ) as dag:
        work = run_replay if job == "replay" else run_redrive
        PythonOperator(task_id="check_request", python_callable=check_request) >> PythonOperator(
            task_id=job, python_callable=work
        )
    return dag
