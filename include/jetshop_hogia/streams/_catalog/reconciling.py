"""Reconcile a catalog stream: verify what was written, or — on the drift schedule — compare everything.

Normal runs read back up to :data:`VERIFY_LIMIT` items confirmed this run per scope (the per-item
answers already confirmed them; the read-back catches a target that says yes and keeps something else).
A *full compare* (a fire time of ``catalog.drift.schedule`` inside the run's window, or the run param
``full_compare: true``) compares every planned item, and, where the stream knows how, names target items
the source does not have. Drift is stored as a reconciliation result per scope (status ``failed``, with
the drifted keys and fields in ``details``) and logged; it does not fail the run — it is a report for a
human. With ``catalog.drift.auto_heal`` the drifted items' hashes are dropped, so the next run sends
them again.
"""

from __future__ import annotations

import logging
from typing import Any

from jetshop_hogia.catalog.drift import DriftKind, DriftReport, compare_views
from jetshop_hogia.catalog.schedule import full_compare_due
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.state import ReconciliationCounts, ReconciliationStatus, StateStore
from jetshop_hogia.state.catalog_sync import CatalogSyncRepository
from jetshop_hogia.streams._catalog import files
from jetshop_hogia.streams._catalog.base import CatalogStream

log = logging.getLogger(__name__)

VERIFY_LIMIT = 200
DETAIL_LIMIT = 100
"""Drifted items named in the stored details; the run file lists all of them."""
FULL_COMPARE_PARAM = "full_compare"


class CatalogReconcileIncomplete(RuntimeError):
    """A scope's target could not be read back; the other scopes were reconciled and recorded."""


def is_full_compare(run: StreamRun) -> bool:
    """The run param ``full_compare``, or a fire time of the tenant's drift schedule in the window."""
    if str(run.params.get(FULL_COMPARE_PARAM, "")).lower() in ("true", "1", "yes"):
        return True
    drift = run.tenant.catalog.drift
    return full_compare_due(drift.schedule, run.window.start, run.window.end, run.tenant.timezone)


def _counts(report: DriftReport, quarantined: int) -> ReconciliationCounts:
    return ReconciliationCounts(
        expected=report.compared,
        matched=report.matched,
        missing=report.count(DriftKind.MISSING_IN_TARGET) + report.count(DriftKind.MISSING_IN_SOURCE),
        mismatched=report.count(DriftKind.DIFFERS),
        quarantined=quarantined,
    )


def _heal(store: StateStore, run: StreamRun, key: str, scope: str, report: DriftReport) -> int:
    healable = [d.key for d in report.drifts if d.kind is not DriftKind.MISSING_IN_SOURCE]
    if not healable:
        return 0
    with store.transaction() as tx:
        return CatalogSyncRepository(tx.connection, store.now).forget(
            run.tenant.tenant_id, key, scope, healable
        )


def _reconcile_scope(
    stream: CatalogStream, run: StreamRun, scope: str, info: dict[str, Any], full: bool, key: str
) -> dict[str, Any]:
    store: StateStore = run.resources.state()
    planned = files.read_items(run, info["planned"])
    expected = {item.key: stream.expected_view(item.payload) for item in planned}
    confirmed: list[str] = run.read_json(info["confirmed_path"]) if info.get("confirmed_path") else []
    keys = stream.verifiable_keys(run, scope, list(expected) if full else confirmed[:VERIFY_LIMIT])
    actual = stream.read_target(run, scope, keys, full) if keys or full else {}
    report = compare_views(expected, actual, keys, report_extra=full and stream.reports_missing_in_source)
    healed = _heal(store, run, key, scope, report) if full and run.tenant.catalog.drift.auto_heal else 0
    quarantined = int(info.get("quarantined_in_transform", 0)) + int(info.get("quarantined", 0))
    counts = _counts(report, quarantined)
    drifts = [drift.as_dict() for drift in report.drifts]
    details = {
        "mode": "full_compare" if full else "verify_written",
        "drift_count": len(drifts),
        "drift": drifts[:DETAIL_LIMIT],
        "healed": healed,
    }
    status = ReconciliationStatus.FAILED if drifts else ReconciliationStatus.OK
    with store.transaction() as tx:
        tx.reconciliation.record(
            run.tenant.tenant_id,
            stream.name,
            run.window.start,
            run.window.end,
            counts,
            status=status,
            scope=scope,
            run_id=run.run_id,
            details=details,
        )
    path = files.write(run, stream.name, scope, "drift", {**details, "drift": drifts})
    if drifts:
        named = ", ".join(f"{d['key']} ({d['kind']})" for d in drifts[:10])
        log.warning(
            "%s %s: DRIFT in %d of %d compared items (%s): %s%s",
            stream.name,
            scope,
            len(drifts),
            report.compared,
            details["mode"],
            named,
            f"; {healed} will be sent again (auto-heal)" if healed else "",
        )
    else:
        log.info(
            "%s %s: %d items compared (%s), no drift", stream.name, scope, report.compared, details["mode"]
        )
    return {"status": status.value, "path": path, "compared": report.compared, "drift": len(drifts)}


def reconcile(stream: CatalogStream, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
    """Reconcile every scope; raise :class:`CatalogReconcileIncomplete` if a target could not be read."""
    full = is_full_compare(run)
    key = written["stream_key"]
    scopes: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    for scope, info in written["scopes"].items():
        try:
            scopes[scope] = _reconcile_scope(stream, run, scope, info, full, key)
        except Exception as error:  # one unreadable shop does not hide the others' drift
            log.error("%s %s: reconcile failed: %s: %s", stream.name, scope, type(error).__name__, error)
            failed.append(f"{scope} ({type(error).__name__})")
            scopes[scope] = {"status": "error", "error": f"{type(error).__name__}: {error}"[:500]}
    if failed:
        raise CatalogReconcileIncomplete(f"{stream.name}: could not reconcile {', '.join(failed)}")
    return {"full_compare": full, "scopes": scopes}
