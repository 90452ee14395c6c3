"""``initial_sync``: the manually triggered initial product sync, one DAG for every tenant (issue 10).

Why one shared DAG with a ``tenant`` Param instead of ``initial_sync_<tenant>`` per tenant
----------------------------------------------------------------------------------------
Measured with the ``make bench`` set-up (1,000 tenants): a per-tenant initial-sync DAG file costs
another ~0.9 × bare Airflow's parse (1.5 s CPU against 1.67 s for the bare baseline), on top of the
tenant DAGs' own 1.8 ×; the parse budget is 1.3 ×. The dag-processor would pay that every parse round
for DAGs that run once per tenant in its life. One DAG costs one DAG: its form lists the valid tenants
(read through the shared validation cache, so a parse round only stats the tenant files) and every
choice that would have been per tenant — the direction — defaults to the tenant's flow at run time.
Measured the same way, ``dags/initial_sync.py`` with its one DAG costs 0.37 s CPU (0.19 × bare).

A broken tenant file is not in the list (and a run naming it fails at once with the file's problems);
``dags/tenant_config_errors.py`` reports it as before. ``schedule=None``: it runs only when triggered,
from the trigger form or ``airflow dags trigger initial_sync --conf '{"tenant": …}'``.

Three steps: ``plan`` (read both sides, decide per article, write batch files) → ``sync_batch`` mapped
over the batches (each labelled in the grid with its scope and article range) → ``report``. The domain
work is :mod:`jetshop_hogia.initial_sync.engine`; this module only builds the DAG and the task callables.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import DAG, get_parsing_context
from airflow.sdk.definitions.param import ParamsDict

from jetshop_hogia.orchestration.params import JSON_SCHEMA_DRAFT_07

DAG_ID = "initial_sync"
TAG = "jetshop-hogia"
MIN_BATCH, MAX_BATCH, DEFAULT_BATCH = 10, 2000, 500  # the bounds of initial_sync.options (a test checks)
TENANT_PATTERN = r"^[a-z0-9][a-z0-9_]*$"


def build_initial_sync_dags(directory: Path | None = None) -> dict[str, DAG]:
    """``{"initial_sync": dag}``; a task process of another DAG builds nothing."""
    wanted = get_parsing_context().dag_id
    if wanted is not None and wanted != DAG_ID:
        return {}
    tenant_ids = None if wanted else _valid_tenant_ids(directory)  # a task needs no list for the form
    return {DAG_ID: build_initial_sync_dag(tenant_ids)}


def _valid_tenant_ids(directory: Path | None) -> list[str]:
    from jetshop_hogia.config import load_tenants
    from jetshop_hogia.kernel import REGISTRY

    loaded = load_tenants(directory, catalog=REGISTRY.catalog(), cached=True)
    return sorted(tenant.tenant_id for tenant in loaded.tenants)


def build_initial_sync_dag(tenant_ids: list[str] | None) -> DAG:
    """``plan`` → ``sync_batch`` (mapped, one per batch) → ``report``; ``tenant_ids`` fill the form's list."""
    from airflow.providers.standard.operators.python import PythonOperator

    from jetshop_hogia.orchestration.factory import DEFAULT_ARGS

    with DAG(
        dag_id=DAG_ID,
        description="Initial product sync of one tenant (manual; dry run by default)",
        schedule=None,
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,  # two initial syncs at once could race for the same articles
        default_args={**DEFAULT_ARGS, "execution_timeout": timedelta(hours=2)},
        tags=["initial-sync", TAG],
        doc_md=DOC_MD,
    ) as dag:
        plan = PythonOperator(task_id="plan", python_callable=plan_task)
        batches = PythonOperator.partial(
            task_id="sync_batch", python_callable=batch_task, map_index_template="{{ batch_label }}"
        ).expand(op_kwargs=plan.output)
        report = PythonOperator(
            task_id="report",
            python_callable=report_task,
            op_kwargs={"batches": plan.output},
            trigger_rule="none_failed",  # an empty catalog maps no batch (skipped): still report
        )
        batches >> report
    dag.params = ParamsDict(initial_sync_params(tenant_ids))
    return dag


DOC_MD = """\
### Initial product sync
Copies the assortment from one side to the other, matching on article number (variants included).
**Dry run is on by default**: the first trigger shows what would happen (the *report* task's log).
Then trigger again with `dry_run` off. Conflicts (same number, different data): *report* lists them,
*skip* leaves the target as it is, *overwrite* writes the source over it. Safe to trigger twice; a
failed batch resumes from its checkpoint when cleared. See docs/INITIAL_SYNC.md.
"""


def initial_sync_params(tenant_ids: list[str] | None) -> dict[str, Any]:
    """The trigger form: JSON schema enums and ranges, so the form refuses what the run cannot use."""
    from airflow.sdk import Param

    def schema(**rest: Any) -> dict[str, Any]:
        return {"$schema": JSON_SCHEMA_DRAFT_07, **rest}

    tenant_schema = schema(type=["null", "string"], pattern=TENANT_PATTERN, title="tenant")
    if tenant_ids:  # a dropdown of the valid tenants (a task process checks only the shape)
        tenant_schema = schema(type="string", enum=tenant_ids, title="tenant")
    return {
        "tenant": Param(
            tenant_ids[0] if tenant_ids else None,
            description="The tenant (its file under the tenants folder) whose catalogs are synced.",
            schema=tenant_schema,
        ),
        "direction": Param(
            None,
            description="Which side's assortment is copied; empty: the tenant's flow (erp_led: Hogia).",
            schema=schema(
                type=["null", "string"],
                enum=[None, "jetshop_to_hogia", "hogia_to_jetshop"],
                title="direction",
            ),
        ),
        "dry_run": Param(
            True,
            description="On: plan and report only, write nothing (neither system nor the state store).",
            schema=schema(type="boolean", title="dry run"),
        ),
        "conflict_policy": Param(
            "report",
            description="Same article number on both sides with different data: report, skip or overwrite.",
            schema=schema(type="string", enum=["report", "skip", "overwrite"], title="conflict policy"),
        ),
        "batch_size": Param(
            DEFAULT_BATCH,
            description=f"Articles per mapped batch task ({MIN_BATCH}–{MAX_BATCH}).",
            schema=schema(type="integer", minimum=MIN_BATCH, maximum=MAX_BATCH, title="batch size"),
        ),
    }


def plan_task() -> list[dict[str, Any]]:
    """Task ``plan``: one ``op_kwargs`` dict per batch for the mapped ``sync_batch``."""
    from jetshop_hogia.initial_sync.engine import plan_batches

    with _run() as (run, options):
        batches = plan_batches(run, options)
    return [{"batch": batch} for batch in batches]


def batch_task(batch: dict[str, Any]) -> dict[str, int]:
    """Task ``sync_batch`` (mapped): apply one batch; its map index reads as the batch's label."""
    from airflow.sdk import get_current_context

    from jetshop_hogia.initial_sync.engine import run_batch

    get_current_context()["batch_label"] = batch["label"]  # type: ignore[typeddict-unknown-key]
    with _run() as (run, options):
        return run_batch(run, options, batch)


def report_task(batches: list[dict[str, Any]]) -> dict[str, Any]:
    """Task ``report``: sum up, keep the report in the state store, print it to the log."""
    from jetshop_hogia.initial_sync.engine import finish

    with _run() as (run, options):
        return finish(run, options, [entry["batch"] for entry in batches])


class _run:
    """The :class:`StreamRun` and :class:`SyncOptions` of the current task; closes the hooks after."""

    def __enter__(self) -> tuple[Any, Any]:
        from airflow.sdk import get_current_context

        from jetshop_hogia.config import load_tenant
        from jetshop_hogia.initial_sync.options import sync_options
        from jetshop_hogia.kernel import RunWindow, StreamRun
        from jetshop_hogia.orchestration.resources import AirflowResources
        from jetshop_hogia.orchestration.runtime import run_dir, storage_path_factory

        context: Any = get_current_context()
        params = dict(context.get("params") or {})
        tenant = load_tenant(str(params.get("tenant") or ""))
        options = sync_options(params, tenant)
        run_id = str(context["run_id"])
        moment = getattr(context.get("dag_run"), "run_after", None) or datetime.now(UTC)
        end = moment.astimezone(UTC)
        self.resources = AirflowResources(tenant)
        run = StreamRun(
            tenant=tenant,
            window=RunWindow(end - timedelta(minutes=1), end),  # the day prices and VAT rates are taken on
            run_id=run_id,
            run_dir=run_dir(tenant.tenant_id, run_id),
            resources=self.resources,
            params={**params, "full_compare": "true"},  # the streams' fetch then reads everything
            path_factory=storage_path_factory(),
        )
        return run, options

    def __exit__(self, *exc: object) -> None:
        self.resources.close()
