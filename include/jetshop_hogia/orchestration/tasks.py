"""The callable behind every generated task: run one step of one stream for one tenant.

The task gets only names (tenant id, stream name, step) and the previous step's small result; the
tenant file is re-read in the task process (one small file, the same bundle version the DAG was built
from) and the stream class comes from the registry, so nothing large or stateful is baked into the DAG.
"""

from __future__ import annotations

import logging
from typing import Any

from jetshop_hogia.config import load_tenant
from jetshop_hogia.kernel import REGISTRY, STEPS, ensure_small_result, run_step_of
from jetshop_hogia.kernel.dry_run import is_dry_run
from jetshop_hogia.orchestration.resources import AirflowResources
from jetshop_hogia.orchestration.runtime import build_stream_run

log = logging.getLogger(__name__)


def run_step(
    step: str, tenant_id: str, stream_name: str, upstream: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run ``stream_name``'s ``step`` for ``tenant_id`` in the current Airflow task; returns its XCom dict."""
    from airflow.sdk import get_current_context

    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; steps are {STEPS}")
    tenant = load_tenant(tenant_id)
    stream = REGISTRY.get(stream_name)()
    resources: Any = AirflowResources(tenant)
    context: Any = None
    try:
        context = get_current_context()
        if is_dry_run(context.get("params") or {}):  # nothing this task records is committed
            from jetshop_hogia.state.rolled_back import DryRunResources

            resources = DryRunResources(resources)
        run = build_stream_run(tenant, context, resources)
        log.info(
            "%s%s.%s for tenant %s, window [%s, %s), files under %s",
            "DRY RUN " if run.dry_run else "",
            stream_name,
            step,
            tenant_id,
            run.window.start.isoformat(),
            run.window.end.isoformat(),
            run.run_dir,
        )
        result = run_step_of(stream, step, run, upstream)
    except Exception as exc:
        _note(context, getattr(exc, "run_note", None))
        raise
    finally:
        resources.close()
    _note(context, result.get("run_note") if isinstance(result, dict) else None)
    return ensure_small_result(stream_name, step, result)


def _note(context: Any, note: object) -> None:
    """A step's ``run_note`` (in its result, or on the exception it raised) becomes the DAG run's note."""
    if context is not None and isinstance(note, str) and note:
        from jetshop_hogia.orchestration.run_notes import publish_run_note

        publish_run_note(context["dag"].dag_id, str(context["run_id"]), note)
