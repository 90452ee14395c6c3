"""Dry run of a tenant run: every step except the writes, with the would-be writes kept as files.

The contract, once for every stream (``orchestration.tasks`` drives it through :func:`run_step_of`):

* ``fetch`` and ``transform`` run as usual, but the state store they get is a *rolled-back* view
  (``jetshop_hogia.state.rolled_back``): whatever they record (orders seen, watermarks, ledger states,
  quarantine entries) is visible inside the step and discarded at its end, so the step's logic is the
  real one and nothing moves.
* ``write`` is replaced by the stream's :meth:`~jetshop_hogia.kernel.stream.Stream.dry_write`, which
  calls no write of the target API: it returns one :class:`WouldBe` per item the real write would act
  on (action, item id, the payload, and a diff against what the target holds now). The kernel stores
  them under ``dry_run/<stream>/`` in the run directory and logs counts per action with the item ids.
* ``reconcile`` records nothing and checks nothing (there is nothing written to check).

A stream that has no ``dry_write`` refuses the dry run in its first step with :class:`DryRunRefused`
(a permanent error) — it never falls back to writing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jetshop_hogia.errors import SetupError

if TYPE_CHECKING:
    from jetshop_hogia.kernel.stream import Stream, StreamRun

log = logging.getLogger(__name__)

DRY_RUN_PARAM = "dry_run"
"""The run parameter (trigger form / ``--conf``) that turns a tenant run into a dry run."""
IDS_LOGGED = 50
"""Item ids named per action in the log; the files list them all."""


class DryRunRefused(SetupError):
    """The stream cannot run without writing; it refuses instead of writing.

    A :class:`SetupError`, which the DAG's retry policy treats as permanent: no retries.
    """


def is_dry_run(params: Mapping[str, Any]) -> bool:
    """Whether the run's params ask for a dry run (``true``, or the string ``"true"`` from a CLI conf)."""
    value = params.get(DRY_RUN_PARAM)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


@dataclass(frozen=True)
class WouldBe:
    """One write a real run would make: what, to which item, with which payload, changing what."""

    action: str
    """E.g. ``create_invoice``, ``create``, ``update``, ``set_status``, ``credit_invoice``."""
    item_id: str
    """The item's id in words an operator searches for (order number, article number; no personal data)."""
    payload: Any
    """The body the real write would send (JSON-ready)."""
    diff: Mapping[str, Any] = field(default_factory=dict)
    """``{field: {"target": now, "would_be": after}}`` for an update; ``{}`` for a create."""
    scope: str = ""
    """Shop id or other scope the write goes to (empty: the tenant's only target)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "item_id": self.item_id,
            "scope": self.scope,
            "payload": self.payload,
            "diff": dict(self.diff),
        }


def supports_dry_run(stream: Stream) -> bool:
    """Whether the stream's class overrides :meth:`Stream.dry_write`."""
    from jetshop_hogia.kernel.stream import Stream

    return type(stream).dry_write is not Stream.dry_write


def field_diff(target: Mapping[str, Any] | None, would_be: Mapping[str, Any]) -> dict[str, Any]:
    """Fields whose value would change (every field when the target has no such item)."""
    current = target or {}
    return {
        name: {"target": current.get(name), "would_be": value}
        for name, value in would_be.items()
        if current.get(name) != value
    }


def record_would_be(run: StreamRun, stream_name: str, writes: Iterable[WouldBe]) -> dict[str, Any]:
    """Store the would-be payloads and diffs under ``dry_run/<stream>/``; log counts and ids per action."""
    lines = [w.as_dict() for w in writes]
    payloads = run.write_json(f"dry_run/{stream_name}/would_be.json", lines)
    diff = run.write_json(
        f"dry_run/{stream_name}/diff.json",
        [{k: line[k] for k in ("action", "item_id", "scope", "diff")} for line in lines],
    )
    counts = Counter(line["action"] for line in lines)
    log.warning(
        "DRY RUN %s: nothing written; would make %d writes %s; payloads in %s",
        stream_name,
        len(lines),
        dict(sorted(counts.items())) or "{}",
        payloads,
    )
    for action in sorted(counts):
        ids = [str(line["item_id"]) for line in lines if line["action"] == action]
        more = f" (+{len(ids) - IDS_LOGGED} more)" if len(ids) > IDS_LOGGED else ""
        log.warning("DRY RUN %s would %s: %s%s", stream_name, action, ", ".join(ids[:IDS_LOGGED]), more)
    return {"dry_run": True, "would_be": payloads, "diff": diff, "counts": dict(counts)}


def run_step_of(stream: Stream, step: str, run: StreamRun, upstream: dict[str, Any] | None) -> dict[str, Any]:
    """Run one step of ``stream`` honouring ``run.dry_run`` (the only entry the orchestration uses).

    The caller gives a dry run a ``run.resources`` whose state store rolls back (see the module doc).
    """
    if not run.dry_run:
        return stream.fetch(run) if step == "fetch" else getattr(stream, step)(run, dict(upstream or {}))
    if not supports_dry_run(stream):
        raise DryRunRefused(
            f"stream {stream.name} cannot do a dry run (it has no dry_write); nothing was read or written"
        )
    if step == "fetch":
        return stream.fetch(run)
    if step == "transform":
        return stream.transform(run, dict(upstream or {}))
    if step == "write":
        return record_would_be(run, stream.name, stream.dry_write(run, dict(upstream or {})))
    log.warning("DRY RUN %s: reconcile skipped, nothing was written; nothing recorded", stream.name)
    written = upstream or {}
    counts = written.get("counts", {})
    note = f"DRY RUN, nothing written: {stream.name} would make {sum(counts.values())} writes {counts}"
    return {
        "dry_run": True,
        "status": "dry_run",
        "would_be": written.get("would_be"),
        "counts": counts,
        "run_note": note[:300],  # the grid shows the run was a preview (see orchestration.run_notes)
    }
