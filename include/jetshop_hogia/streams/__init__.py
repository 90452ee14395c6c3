"""Streams: one module per kind of data moving between Jetshop and Hogia (orders, products, stock, …).

Each module defines a :class:`Stream` subclass decorated with :func:`register_stream`; the DAG factory
finds it through :data:`REGISTRY` (which imports every module of this package), so adding a stream never
touches the factory. Pure Python: nothing here imports Airflow.
"""

from __future__ import annotations

from jetshop_hogia.streams.base import (
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
from jetshop_hogia.streams.registry import REGISTRY, StreamRegistry, register_stream

__all__ = [
    "MAX_XCOM_BYTES",
    "REGISTRY",
    "STEPS",
    "Direction",
    "Resources",
    "RunWindow",
    "Stream",
    "StreamContractError",
    "StreamRegistry",
    "StreamRun",
    "ensure_small_result",
    "register_stream",
]
