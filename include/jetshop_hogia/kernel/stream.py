"""What a stream is: four steps (fetch → transform → write → reconcile) over one run window.

Pure Python, no Airflow: a stream is testable with a plain folder and fake hooks. The orchestration layer
turns each step into one Airflow task. Between steps only *small* dicts travel (paths and counts, via
XCom); the data itself goes through files under the run's own directory, so a retried step re-reads
exactly what its predecessor wrote and a big batch never lands in the metadata database.

Writing a stream = one new package in ``jetshop_hogia.streams`` (class and steps together)::

    @register_stream
    class ProductsToHogia(Stream):
        name = "products_to_hogia"
        flows = frozenset({Flow.SHOP_LED, Flow.COMBO})
        direction = Direction.JETSHOP_TO_HOGIA

        def fetch(self, run: StreamRun) -> dict[str, Any]:
            rows = ...  # run.resources.jetshop(shop_id) / run.window.start / .end
            return {"products": run.write_json(f"{self.name}/fetched.json", rows), "count": len(rows)}
        ...

A stream module is imported at every DAG parse (the registry must see it): keep its top-level imports
light and import heavy libraries (pandas, the hooks) inside the step methods.
"""

from __future__ import annotations

import enum
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from upath import UPath

from jetshop_hogia.config import Feature, Flow, TenantConfig

if TYPE_CHECKING:
    from jetshop_hogia.kernel.dry_run import WouldBe

MAX_XCOM_BYTES = 8 * 1024
"""Upper bound for a step's result as JSON: a few paths and counts fit many times over; a batch does not."""

STEPS = ("fetch", "transform", "write", "reconcile")


class Direction(enum.StrEnum):
    """Which way the data flows; decides which API's pool a step uses."""

    JETSHOP_TO_HOGIA = "jetshop_to_hogia"
    HOGIA_TO_JETSHOP = "hogia_to_jetshop"

    @property
    def source(self) -> str:
        """The system read by ``fetch`` (``jetshop`` or ``hogia``)."""
        return "jetshop" if self is Direction.JETSHOP_TO_HOGIA else "hogia"

    @property
    def target(self) -> str:
        """The system changed by ``write`` and checked by ``reconcile``."""
        return "hogia" if self is Direction.JETSHOP_TO_HOGIA else "jetshop"


@dataclass(frozen=True)
class RunWindow:
    """The half-open interval ``[start, end)`` a run owns; aware datetimes, stored in UTC.

    Consecutive scheduled runs have touching windows (one's end is the next one's start), so every
    change timestamp belongs to exactly one run — no watermark is needed to avoid gaps or double reads.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("RunWindow needs timezone-aware datetimes")
        if not self.start < self.end:
            raise ValueError(
                f"RunWindow start {self.start.isoformat()} is not before end {self.end.isoformat()}"
            )
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment < self.end

    @property
    def duration(self) -> timedelta:
        """Real elapsed time (a DST-change day is 23 or 25 hours long)."""
        return self.end - self.start

    def local(self, timezone: str) -> tuple[datetime, datetime]:
        """Start and end in ``timezone`` (both APIs want naive local Stockholm time on the wire)."""
        zone = ZoneInfo(timezone)
        return self.start.astimezone(zone), self.end.astimezone(zone)

    def as_dict(self) -> dict[str, str]:
        """ISO strings, for XCom and logs."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


class Resources(Protocol):
    """Lazily created clients for one tenant; a step only pays for what it uses."""

    def jetshop(self, shop_id: str | None = None) -> Any:
        """The Jetshop hook of one shop (``None``: the tenant's only shop)."""

    def hogia(self) -> Any:
        """The tenant's Hogia Smart hook."""

    def state(self) -> Any:
        """The state store (order ledger, bindings, quarantine, reconciliation results)."""


@dataclass(frozen=True)
class StreamRun:
    """Everything one step of one stream needs for one run: tenant, window, where files go, clients.

    ``run_dir`` is a path or URI (``file:///…``, ``s3://…``) unique to the tenant and the Airflow run;
    ``path_factory`` turns it into a path object (the orchestration passes Airflow's ObjectStoragePath so
    remote storage uses an Airflow connection).
    """

    tenant: TenantConfig
    window: RunWindow
    run_id: str
    run_dir: str
    resources: Resources
    params: Mapping[str, Any] = field(default_factory=dict)
    path_factory: Callable[[str], UPath] = UPath

    @property
    def dry_run(self) -> bool:
        """True when the run was triggered with ``dry_run`` (see :mod:`jetshop_hogia.kernel.dry_run`)."""
        from jetshop_hogia.kernel.dry_run import is_dry_run

        return is_dry_run(self.params)

    def path(self, relative: str) -> UPath:
        """A path inside the run directory; refuses absolute paths and ``..`` so a step cannot escape it."""
        parts = PurePosixPath(relative).parts
        if not parts or relative.startswith("/") or ".." in parts:
            raise ValueError(f"{relative!r} is not a relative path inside the run directory")
        return self.path_factory(self.run_dir).joinpath(*parts)

    def write_json(self, relative: str, payload: Any) -> str:
        """Write ``payload`` as JSON (Decimal and datetimes as strings); returns the file's URI for XCom."""
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(payload, default=_json_default, ensure_ascii=False), encoding="utf-8")
        return str(target)

    def read_json(self, location: str) -> Any:
        """Read a JSON file: a URI/absolute path as returned by :meth:`write_json`, or a relative path."""
        absolute = "://" in location or location.startswith("/")
        target = self.path_factory(location) if absolute else self.path(location)
        return json.loads(target.read_text(encoding="utf-8"))


class Stream(ABC):
    """One kind of data moving between Jetshop and Hogia for one tenant.

    Subclasses set the class attributes and implement the four steps; each step returns a small,
    JSON-serialisable dict (file URIs and counts) that the next step receives. Steps must be safe to
    retry: Airflow re-runs a failed step with the same inputs.
    """

    name: ClassVar[str]
    """Task-group id and the name tenants list under ``streams``; ``[a-z][a-z0-9_]*``."""
    flows: ClassVar[frozenset[Flow]]
    """Flows this stream is part of (seed: the flow tables)."""
    direction: ClassVar[Direction]
    requires: ClassVar[frozenset[Feature]] = frozenset()
    """Plan features the stream needs (e.g. ``Feature.STOCK``); checked against each tenant's plan."""
    description: ClassVar[str] = ""
    serial_runs: ClassVar[bool] = False
    """True when overlapping runs could write older data after newer (e.g. stock levels): each step then
    runs in one run at a time (``max_active_tis_per_dag=1``), and the write step's re-selection against
    the confirmed versions skips what a newer run already wrote. Not ``depends_on_past``: one failed run
    (a Hogia outage) would then hold every later run, and with them the tenant's whole DAG, until someone
    repaired that day."""

    @classmethod
    def config_problems(cls, tenant: TenantConfig) -> list[str]:
        """Stream-specific checks of a tenant's configuration (messages; empty when fine)."""
        return []

    @abstractmethod
    def fetch(self, run: StreamRun) -> dict[str, Any]:
        """Read the source system for ``run.window``; write the batch to files; return paths and counts."""

    @abstractmethod
    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        """Map the fetched files to what the target expects; no network calls to the target."""

    @abstractmethod
    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        """Apply the transformed batch to the target system, exactly once per item."""

    @abstractmethod
    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        """Check the target against what was written; record and return the outcome counts."""

    def dry_write(self, run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
        """What ``write`` would send, without sending or recording anything (see ``kernel.dry_run``).

        Read the target as needed (for the diff); never call a write of either API or the state store's
        writing methods. Not overridden: the stream refuses dry runs (:class:`DryRunRefused`).
        """
        from jetshop_hogia.kernel.dry_run import DryRunRefused

        raise DryRunRefused(f"stream {self.name} has no dry run")


class StreamContractError(TypeError):
    """A step returned something that must not go through XCom."""


def ensure_small_result(
    stream: str, step: str, result: object, limit: int = MAX_XCOM_BYTES
) -> dict[str, Any]:
    """Return ``result`` if it is a small JSON dict; otherwise explain what the step did wrong."""
    where = f"{stream}.{step}"
    if not isinstance(result, dict):
        raise StreamContractError(f"{where} returned {type(result).__name__}; steps must return a dict")
    try:
        encoded = json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StreamContractError(f"{where} returned a dict that is not plain JSON: {error}") from None
    if len(encoded.encode()) > limit:
        raise StreamContractError(
            f"{where} returned {len(encoded.encode())} bytes; results are limited to {limit} bytes — "
            "write the batch to a file under the run directory and return its path"
        )
    return result


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
