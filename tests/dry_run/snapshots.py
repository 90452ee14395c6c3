"""Before/after snapshots for the dry-run tests: both simulators' admin state dumps, every state table.

The dumps are compared whole: they hold the data (products, orders, mails, captures, articles, contacts,
invoices, status events, number series), not sessions or call counters, so a read leaves them unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select

from jetshop_hogia.kernel import REGISTRY, StreamRun, run_step_of
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.rolled_back import DryRunResources
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


def simulators(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle) -> dict[str, Any]:
    """Both admin state dumps (``GET /_admin/state``), whole."""
    return {"jetshop": jetshop_sim.admin("GET", "state"), "hogia": hogia_sim.admin("GET", "state")}


def state_tables(store: StateStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the state store, sorted (reflected, so new tables count too)."""
    metadata = MetaData()
    metadata.reflect(store.engine)
    with store.engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for name, table in sorted(metadata.tables.items())
        }


def dry_run_stream(name: str, run: StreamRun) -> dict[str, dict[str, Any]]:
    """The four steps of ``name`` as the Airflow task runs a dry run: rolled-back store, one per task."""
    assert run.dry_run
    stream = REGISTRY.get(name)()
    results: dict[str, dict[str, Any]] = {}
    upstream: dict[str, Any] | None = None
    for step in ("fetch", "transform", "write", "reconcile"):
        resources = DryRunResources(run.resources)
        try:
            step_run = StreamRun(
                tenant=run.tenant,
                window=run.window,
                run_id=run.run_id,
                run_dir=run.run_dir,
                resources=resources,
                params=run.params,
            )
            upstream = results[step] = run_step_of(stream, step, step_run, upstream)
        finally:
            resources.state().discard()  # what closing the task's resources does; hooks stay open
    return results
