"""The admin endpoints both simulators share (loopback only: never behind auth or faults).

- ``GET  /_admin/calls``   call counts per operation, rate-limited counts, injected faults
- ``GET  /_admin/faults``  / ``PUT /_admin/faults``  read or replace the fault configuration
- ``GET  /_admin/clock``   / ``POST /_admin/clock``  read or move the simulated clock
- ``POST /_admin/reset``   back to the seeded state, counters zeroed
- ``GET  /_admin/state``   a JSON dump of the whole state

Each simulator adds its own drivers (place orders, change stock and prices …) to the same router.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.common.faults import FaultConfig


class ClockMove(BaseModel):
    """Move the clock by ``advance_seconds`` or to ``set_to`` (local time if naive)."""

    advance_seconds: float | None = None
    set_to: datetime | None = None
    freeze: bool = False


def build_admin_router(
    core: SimulatorCore,
    *,
    dump_state: Callable[[], dict[str, Any]],
    reset_state: Callable[[], None],
) -> APIRouter:
    """The shared admin router; ``dump_state`` and ``reset_state`` are the simulator's own."""
    router = APIRouter(prefix="/_admin", tags=["admin"])

    @router.get("/calls")
    def calls() -> dict[str, object]:
        return core.describe()

    @router.get("/faults")
    def get_faults() -> FaultConfig:
        return core.faults.config

    @router.put("/faults")
    def put_faults(config: FaultConfig) -> FaultConfig:
        core.faults.configure(config)
        return core.faults.config

    @router.get("/clock")
    def get_clock() -> dict[str, object]:
        return core.clock.describe()

    @router.post("/clock")
    def move_clock(move: ClockMove) -> dict[str, object]:
        if move.set_to is not None:
            core.clock.set(move.set_to, freeze=move.freeze)
        if move.advance_seconds is not None:
            core.clock.advance(move.advance_seconds)
        return core.clock.describe()

    @router.post("/reset")
    def reset() -> dict[str, str]:
        reset_state()
        core.reset_counters()
        core.faults.configure(FaultConfig())
        return {"status": "reset"}

    @router.get("/state")
    def state() -> dict[str, Any]:
        return dump_state()

    return router
