"""What the trigger form of an initial sync asks, checked once more when the run starts.

The form's JSON schema already refuses bad input (enums, a range for the batch size); this module turns
the validated params into :class:`SyncOptions` and fills the defaults that depend on the tenant: the
direction follows the tenant's flow (Hogia leads in ``erp_led``, the shop otherwise).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jetshop_hogia.config import Flow, TenantConfig
from jetshop_hogia.errors import SetupError

MIN_BATCH, MAX_BATCH, DEFAULT_BATCH = 10, 2000, 500


class SyncDirection(enum.StrEnum):
    """Which side's assortment is copied to the other."""

    JETSHOP_TO_HOGIA = "jetshop_to_hogia"
    HOGIA_TO_JETSHOP = "hogia_to_jetshop"

    @property
    def stream_name(self) -> str:
        """The catalog stream whose planning, writer and bindings the initial sync reuses."""
        return "products_to_hogia" if self is SyncDirection.JETSHOP_TO_HOGIA else "products_to_jetshop"


class ConflictPolicy(enum.StrEnum):
    """What to do with an article number both sides have, with different data."""

    SKIP = "skip"  # leave the target as it is and bind it: the scheduled stream sends it only once it changes
    OVERWRITE = "overwrite"  # write the source's data over the target's
    REPORT = "report"  # leave it unbound and list it for a human decision


class InitialSyncParamsError(SetupError):
    """The run's params cannot be used. A :class:`SetupError` because the DAG's retry policy already
    fails those at once (a retry cannot fix a run's conf), and the domain may not import the
    orchestration's ``TriggerParamsError``."""


@dataclass(frozen=True)
class SyncOptions:
    """The choices of one initial-sync run."""

    direction: SyncDirection
    dry_run: bool
    conflict_policy: ConflictPolicy
    batch_size: int

    def as_dict(self) -> dict[str, Any]:
        """JSON form for XCom and the report."""
        return {
            "direction": self.direction.value,
            "dry_run": self.dry_run,
            "conflict_policy": self.conflict_policy.value,
            "batch_size": self.batch_size,
        }


def default_direction(tenant: TenantConfig) -> SyncDirection:
    """The tenant's flow decides which side leads products (erp_led: Hogia; shop_led, combo: Jetshop)."""
    if tenant.flow is Flow.ERP_LED:
        return SyncDirection.HOGIA_TO_JETSHOP
    return SyncDirection.JETSHOP_TO_HOGIA


def sync_options(params: Mapping[str, Any], tenant: TenantConfig) -> SyncOptions:
    """Options from the run's params; an empty direction takes the tenant's default."""
    try:
        raw_direction = params.get("direction") or default_direction(tenant).value
        direction = SyncDirection(raw_direction)
        policy = ConflictPolicy(params.get("conflict_policy") or ConflictPolicy.REPORT.value)
    except ValueError as error:
        raise InitialSyncParamsError(str(error)) from None
    batch_size = params.get("batch_size") or DEFAULT_BATCH
    if not isinstance(batch_size, int) or not MIN_BATCH <= batch_size <= MAX_BATCH:
        raise InitialSyncParamsError(
            f"batch_size must be an integer {MIN_BATCH}–{MAX_BATCH}, got {batch_size!r}"
        )
    dry_run = params.get("dry_run")
    return SyncOptions(direction, dry_run is not False, policy, batch_size)
