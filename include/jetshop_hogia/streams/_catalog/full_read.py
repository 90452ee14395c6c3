"""A catalog run that reads each source whole at one moment: for the initial sync and the re-drive.

Scheduled runs own a window of the tenant's schedule and read what changed in it. These manual jobs own
none: they need a window only for the day prices and VAT rates are taken on (the minute before ``at``),
and the run param ``full_compare`` so that each stream's fetch reads everything, whenever it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from upath import UPath

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import Resources, RunWindow, StreamRun
from jetshop_hogia.streams._catalog.reconciling import FULL_COMPARE_PARAM


def full_read_run(
    *,
    tenant: TenantConfig,
    resources: Resources,
    run_id: str,
    run_dir: str,
    at: datetime,
    params: Mapping[str, Any] | None = None,
    path_factory: Callable[[str], UPath] = UPath,
) -> StreamRun:
    """The :class:`StreamRun` of a whole-source read at ``at``, with ``params`` besides ``full_compare``."""
    return StreamRun(
        tenant=tenant,
        window=RunWindow(at - timedelta(minutes=1), at),
        run_id=run_id,
        run_dir=run_dir,
        resources=resources,
        params={**(params or {}), FULL_COMPARE_PARAM: "true"},
        path_factory=path_factory,
    )
