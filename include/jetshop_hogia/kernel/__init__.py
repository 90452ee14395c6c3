"""The stream kernel: what a stream is (:class:`Stream`, its :class:`StreamRun` over a :class:`RunWindow`
with its :class:`Resources`) and the :data:`REGISTRY` that finds the stream packages.

Small and stable on purpose: every stream package under :mod:`jetshop_hogia.streams` imports it, the
orchestration layer builds DAGs from it, and it imports neither of them (only the tenant configuration),
so no import cycle can form. Pure Python: nothing here imports Airflow.
"""

from __future__ import annotations

from jetshop_hogia.kernel.dry_run import DRY_RUN_PARAM, DryRunRefused, WouldBe, run_step_of
from jetshop_hogia.kernel.registry import REGISTRY, StreamRegistry, register_stream
from jetshop_hogia.kernel.stream import (
    MAX_XCOM_BYTES,
    STEPS,
    Direction,
    Resources,
    RunWindow,
    Stream,
    StreamContractError,
    StreamRun,
    ensure_small_result,
)

__all__ = [
    "DRY_RUN_PARAM",
    "MAX_XCOM_BYTES",
    "REGISTRY",
    "STEPS",
    "Direction",
    "DryRunRefused",
    "Resources",
    "RunWindow",
    "Stream",
    "StreamContractError",
    "StreamRegistry",
    "StreamRun",
    "WouldBe",
    "ensure_small_result",
    "register_stream",
    "run_step_of",
]
