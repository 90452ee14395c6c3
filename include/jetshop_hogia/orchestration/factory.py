"""The DAG factory: per valid tenant file ``sync_<tenant>`` (a task group per enabled stream) and the
manually triggered ``initial_sync_<tenant>`` (:mod:`.initial_sync_dag`), plus the daily digest.

Why broken tenants are reported by a *second* DAG file
------------------------------------------------------
Airflow records import errors per DAG *file*. In Airflow 3.3 (``dag_processing/collection.py``,
``_update_import_errors``) an import error recorded for a file also marks every DAG of that file
``has_import_errors=True, is_stale=True`` — the scheduler then stops scheduling them. Raising from
``dags/tenant_sync.py`` (or failing a placeholder DAG's validation there, which ``DagBag.process_file``
also files under that path) would therefore stop every tenant because of one bad file.

So ``dags/tenant_sync.py`` builds the DAGs of the valid tenants and *skips* the broken ones (their DAG
disappears, so nothing runs on a half-understood configuration), while ``dags/tenant_config_errors.py``
holds no DAG and raises one :class:`TenantConfigErrors` listing every broken file with its field and
problem. That import error is filed under the second file, which owns no DAG, so no good tenant is
touched. Task processes (``get_parsing_context().dag_id`` set) skip the check and read only their own
tenant's file.

Reading each tenant file once per parse round
---------------------------------------------
The dag-processor parses the two files in separate processes, again and again. They share the outcome
of each tenant file through :mod:`jetshop_hogia.config.cache` (keyed by the file's mtime, size and
inode): whichever file is parsed first after an edit reads and validates the changed files, the other
and every later parse only stat them. ``make bench`` (``benchmarks/dag_parse.py``) measures a parse of
every DAG file with 1,000 tenants against bare Airflow building the same DAGs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
from airflow.sdk import (
    DAG,
    CronDataIntervalTimetable,
    ExceptionRetryPolicy,
    RetryAction,
    RetryRule,
    TaskGroup,
    get_parsing_context,
)
from airflow.sdk.definitions.param import ParamsDict

from jetshop_hogia.config import (
    TenantConfig,
    TenantConfigErrors,
    initial_sync_dag_id_for,
    load_tenants,
    tenant_id_from_dag_id,
    tenant_id_from_initial_sync_dag_id,
)
from jetshop_hogia.kernel import REGISTRY, STEPS, Stream, StreamRegistry
from jetshop_hogia.orchestration.alerts import deadline_for, with_alerts
from jetshop_hogia.orchestration.docs import tenant_doc_md
from jetshop_hogia.orchestration.params import window_params
from jetshop_hogia.orchestration.pools import pool_for_step
from jetshop_hogia.orchestration.tasks import run_step

log = logging.getLogger(__name__)

TAG = "jetshop-hogia"
MAX_ACTIVE_RUNS = 2
"""Windows never overlap, so two runs (a late one and the current one) are safe side by side; more
would mostly multiply API pressure during catch-up. Streams that must not interleave set serial_runs."""

PERMANENT_ERRORS: list[type[BaseException] | str] = [
    # by dotted path, from light modules: Airflow's RetryRule imports each one at parse time to check it
    # (the transport re-exports PermanentError; the state package would pull in SQLAlchemy and alembic)
    "jetshop_hogia.errors.PermanentError",  # 4xx, SOAP Sender faults, auth
    "jetshop_hogia.errors.SetupError",  # e.g. no sync_state connection: create it, then rerun
    "jetshop_hogia_provider.hooks.connection_config.ConnectionConfigError",
    "jetshop_hogia.config.errors.TenantConfigError",
    "jetshop_hogia.kernel.stream.StreamContractError",
    "jetshop_hogia.streams.tenant_failures.TenantSetupError",  # module off, credentials: fix, not retry
    "jetshop_hogia.orchestration.params.TriggerParamsError",  # contradicting window bounds
    "jetshop_hogia.operations.settling.RedriveNotSettled",  # a retry would select nothing (see there)
]
"""Failures a retry cannot fix: the task fails at once instead of backing off three times."""

TASK_RETRIES_ENV = "JETSHOP_HOGIA_TASK_RETRIES"
"""Overrides the 3 task retries (read at parse time, so set it for the dag-processor and the workers):
end-to-end tests set 0 so an outage fails the run in seconds instead of after ~3.5 min of retry delays."""


def _task_retries(default: int = 3) -> int:
    raw = os.environ.get(TASK_RETRIES_ENV, "").strip()
    return int(raw) if raw else default


DEFAULT_ARGS: dict[str, Any] = {
    "owner": TAG,
    "retries": _task_retries(),
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,  # a float multiplier in Airflow 3.3: ~30 s, 60 s, 120 s (+ jitter)
    "max_retry_delay": timedelta(minutes=10),
    "retry_policy": ExceptionRetryPolicy(
        rules=[RetryRule(exception=PERMANENT_ERRORS, action=RetryAction.FAIL, reason="permanent error")]
    ),
    "execution_timeout": timedelta(minutes=30),
}


def build_tenant_dags(directory: Path | None = None, registry: StreamRegistry = REGISTRY) -> dict[str, DAG]:
    """Every DAG generated from the tenant files — in a task process only the one DAG it runs.

    Per valid tenant ``sync_<tenant>`` and ``initial_sync_<tenant>``, plus the daily digest when a
    tenant has an alert channel: all from one read of the tenant files in one DAG file, because each
    DAG file costs the dag-processor a process, the imports and a pass over the validation cache.
    """
    from jetshop_hogia.orchestration.digest_dag import DIGEST_DAG_ID, build_digest_dag
    from jetshop_hogia.orchestration.initial_sync_dag import build_initial_sync_dag

    kinds, only = _wanted_kinds(get_parsing_context().dag_id, DIGEST_DAG_ID)
    if not kinds:  # a task of some other DAG file: nothing of ours is needed
        return {}
    known = registry.streams()  # discovered once per parse, not once per tenant
    loaded = load_tenants(directory, only=only, catalog=registry.catalog(), cached=only is None)
    for error in loaded.errors:  # the import error itself comes from dags/tenant_config_errors.py
        log.warning("tenant skipped: %s", error)
    dags: dict[str, DAG] = {}
    for tenant in loaded.tenants:
        if "sync" in kinds:
            dags[tenant.dag_id] = build_tenant_dag(tenant, registry, known)
        if "initial_sync" in kinds:
            dags[initial_sync_dag_id_for(tenant.tenant_id)] = build_initial_sync_dag(tenant)
    if "digest" in kinds and (digest := build_digest_dag(loaded.tenants)) is not None:
        dags[DIGEST_DAG_ID] = digest
    return dags


def _wanted_kinds(dag_id: str | None, digest_dag_id: str) -> tuple[set[str], str | None]:
    """Which kinds of DAG to build, and for which tenant only (``dag_id``: the task's, None when the
    dag-processor parses the whole file)."""
    if dag_id is None:
        return {"sync", "initial_sync", "digest"}, None
    if (tenant_id := tenant_id_from_dag_id(dag_id)) is not None:
        return {"sync"}, tenant_id
    if (tenant_id := tenant_id_from_initial_sync_dag_id(dag_id)) is not None:
        return {"initial_sync"}, tenant_id
    return ({"digest"}, None) if dag_id == digest_dag_id else (set(), None)


def raise_for_broken_tenants(directory: Path | None = None, registry: StreamRegistry = REGISTRY) -> None:
    """Raise one :class:`TenantConfigErrors` naming every broken tenant file (no-op in task processes)."""
    if get_parsing_context().dag_id is not None:
        return
    loaded = load_tenants(directory, catalog=registry.catalog(), cached=True, errors_only=True)
    if loaded.errors:
        raise TenantConfigErrors(loaded.errors)


def build_tenant_dag(
    tenant: TenantConfig, registry: StreamRegistry = REGISTRY, known: Mapping[str, type[Stream]] | None = None
) -> DAG:
    """``sync_<tenant>``: a task group per enabled stream, fetch → transform → write → reconcile.

    ``known`` is the registry's streams when the caller already has them (saves a discovery per tenant).
    """
    streams = {name: known[name] if known else registry.get(name) for name in tenant.streams}
    timezone = pendulum.timezone(tenant.timezone)
    with DAG(
        dag_id=tenant.dag_id,
        description=f"Jetshop ↔ Hogia Smart sync of {tenant.name or tenant.tenant_id} ({tenant.flow.value})",
        schedule=CronDataIntervalTimetable(tenant.schedule, timezone=timezone),
        start_date=pendulum.datetime(
            tenant.start_date.year, tenant.start_date.month, tenant.start_date.day, tz=timezone
        ),
        catchup=False,
        max_active_runs=MAX_ACTIVE_RUNS,
        default_args=with_alerts(DEFAULT_ARGS, tenant),
        deadline=deadline_for(tenant),
        tags=[tenant.tenant_id, tenant.flow.value, TAG],
        doc_md=tenant_doc_md(tenant, streams),
    ) as dag:
        for name, stream in streams.items():
            with TaskGroup(group_id=name, tooltip=stream.description or f"{name} stream"):
                _step_tasks(tenant.tenant_id, name, stream)
    # after the tasks: see window_params
    dag.params = ParamsDict(window_params(notify_customers="order_status" in streams))
    return dag


def _step_tasks(tenant_id: str, stream_name: str, stream: type[Stream]) -> None:
    """The four steps of one stream, chained through their (small) results.

    Plain ``PythonOperator`` s rather than ``@task``: the same callable, arguments and XCom hand-over
    (``upstream`` is the previous step's ``XComArg``, which also sets the dependency), at half the parse
    cost — the decorator re-inspects the callable's signature for every task, a thousand tenants times.
    """
    from airflow.providers.standard.operators.python import PythonOperator

    previous: PythonOperator | None = None
    for step in STEPS:
        arguments: dict[str, Any] = {"step": step, "tenant_id": tenant_id, "stream_name": stream_name}
        if previous is not None:
            arguments["upstream"] = previous.output
        options: dict[str, Any] = {}
        pool = pool_for_step(tenant_id, stream.direction, step)
        if pool is not None:  # None: Airflow's default pool
            options["pool"] = pool
        if stream.serial_runs:  # one run at a time per step; not depends_on_past (see Stream.serial_runs)
            options["max_active_tis_per_dag"] = 1
        previous = PythonOperator(task_id=step, python_callable=run_step, op_kwargs=arguments, **options)
