"""From an Airflow task context to a :class:`StreamRun`: the run window and the run directory.

Scheduled runs own their data interval ``[data_interval_start, data_interval_end)``. A manual run may
have no logical date and hence no interval (Airflow 3); it then takes the ``window_start`` /
``window_end`` params, or else the last complete interval of the tenant's schedule before the run was
triggered — the same interval Airflow itself infers for a manual run with a logical date.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from upath import UPath

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel.stream import Resources, RunWindow, StreamRun
from jetshop_hogia.orchestration.params import check_window_params

RUN_STORAGE_ENV = "JETSHOP_HOGIA_RUN_STORAGE"
"""Base URI of run directories, e.g. ``s3://bucket/jetshop-hogia`` or ``file:///data/jetshop-hogia``."""
RUN_STORAGE_CONN_ENV = "JETSHOP_HOGIA_RUN_STORAGE_CONN_ID"
"""Airflow connection ObjectStoragePath uses for a remote base (unset: the scheme's default)."""


def storage_base() -> str:
    """``$JETSHOP_HOGIA_RUN_STORAGE`` or ``file://$AIRFLOW_HOME/jetshop_hogia_runs``."""
    configured = os.environ.get(RUN_STORAGE_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    home = os.path.abspath(os.path.expanduser(os.environ.get("AIRFLOW_HOME", "~/airflow")))
    return f"file://{home}/jetshop_hogia_runs"


def run_dir(tenant_id: str, run_id: str) -> str:
    """``<base>/<tenant_id>/<run_id>``; a run id with characters unsafe in object keys is made safe."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", run_id)
    if safe != run_id:  # keep distinct run ids distinct after replacing characters
        safe += "-" + hashlib.sha256(run_id.encode()).hexdigest()[:8]
    return f"{storage_base()}/{tenant_id}/{safe}"


def storage_path_factory() -> Callable[[str], UPath]:
    """Build run paths with Airflow's ObjectStoragePath (credentials from an Airflow connection)."""
    from airflow.sdk import ObjectStoragePath

    conn_id = os.environ.get(RUN_STORAGE_CONN_ENV) or None

    def make(uri: str) -> UPath:
        return cast(UPath, ObjectStoragePath(uri, conn_id=conn_id))  # a UPath at runtime (ProxyUPath)

    return make


def window_for_run(context: Mapping[str, Any], tenant: TenantConfig) -> RunWindow:
    """The window this run owns: params override, else the data interval, else the last interval."""
    manual = check_window_params(context.get("params") or {}, tenant.timezone)
    if manual is not None:
        return RunWindow(*manual)
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None and start < end:
        return RunWindow(_plain(start), _plain(end))
    dag_run = context.get("dag_run")
    run_after = getattr(dag_run, "run_after", None) or datetime.now(UTC)
    return last_complete_window(tenant, _plain(run_after))


def last_complete_window(tenant: TenantConfig, moment: datetime) -> RunWindow:
    """The last whole interval of the tenant's schedule ending at or before ``moment``."""
    import pendulum
    from airflow.timetables.interval import CronDataIntervalTimetable

    timetable = CronDataIntervalTimetable(tenant.schedule, pendulum.timezone(tenant.timezone))
    interval = timetable.infer_manual_data_interval(run_after=pendulum.instance(moment))
    return RunWindow(_plain(interval.start), _plain(interval.end))


def build_stream_run(tenant: TenantConfig, context: Mapping[str, Any], resources: Resources) -> StreamRun:
    """The :class:`StreamRun` of this task instance."""
    run_id = str(context["run_id"])
    return StreamRun(
        tenant=tenant,
        window=window_for_run(context, tenant),
        run_id=run_id,
        run_dir=run_dir(tenant.tenant_id, run_id),
        resources=resources,
        params=dict(context.get("params") or {}),
        path_factory=storage_path_factory(),
    )


def _plain(moment: datetime) -> datetime:
    """A stdlib aware datetime in UTC (pendulum's subclass does not survive every serialiser)."""
    utc = moment.astimezone(UTC)
    return datetime.combine(utc.date(), utc.time(), tzinfo=UTC)
