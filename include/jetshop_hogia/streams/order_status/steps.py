"""The ``order_status`` stream's four steps on a :class:`StreamRun`: files between steps, small dicts out.

order_status/fetched.json     the window's Hogia events and the shop's cancellations
order_status/planned.json     actions, with the quiet-run decision
order_status/written.json     one line per action and its outcome
order_status/reconciled.json  counts, disagreements, and what needs a person
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.state import ReconciliationCounts, ReconciliationStatus, StateStore
from jetshop_hogia.state.order_status import ORDER_STATUS_STREAM
from jetshop_hogia.streams.order_status import reconciling
from jetshop_hogia.streams.order_status.cancelling import apply_cancellations
from jetshop_hogia.streams.order_status.fetching import fetch_cancellations, fetch_events
from jetshop_hogia.streams.order_status.planning import PlannedAction, plan_cancellations, plan_events
from jetshop_hogia.streams.order_status.quiet import customer_effects
from jetshop_hogia.streams.order_status.status_map import cancelled_status_id
from jetshop_hogia.streams.order_status.writing import write_actions

log = logging.getLogger(__name__)

FETCHED = "order_status/fetched.json"
PLANNED = "order_status/planned.json"
WRITTEN = "order_status/written.json"
RECONCILED = "order_status/reconciled.json"


class FeedbackNotSettled(RuntimeError):
    """Some actions could not be settled this attempt (answer lost and not yet confirmed, service down).

    Raised after everything was recorded; the task retry looks each of them up before resending.
    """


class FeedbackReconciliationFailed(RuntimeError):
    """The shop does not show what Hogia said after the feedback, or actions are still unsettled."""


def fetch(run: StreamRun) -> dict[str, Any]:
    """Hogia events of the window and the shop's cancellations of the window."""
    events = fetch_events(run.resources.hogia(), run.window)
    cancelled = cancelled_status_id(run.tenant)
    cancellations = fetch_cancellations(run.tenant, run.resources.jetshop, run.window, cancelled)
    path = run.write_json(FETCHED, {"events": events, "cancellations": [c.as_dict() for c in cancellations]})
    log.info("fetched %d Hogia status events, %d shop cancellations", len(events), len(cancellations))
    return {"path": path, "events": len(events), "cancellations": len(cancellations)}


def transform(run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
    """Plan the actions; decide (and log) whether this run mails customers and captures payments."""
    store: StateStore = run.resources.state()
    data = run.read_json(fetched["path"])
    effects = customer_effects(run.window, run.run_id, run.params)
    (log.warning if not (effects.mail and effects.capture) else log.info)(
        "customer e-mail %s, payment capture %s: %s",
        "on" if effects.mail else "off",
        "on" if effects.capture else "off",
        effects.reason,
    )
    cancelled = frozenset((item["shop_id"], item["order_number"]) for item in data["cancellations"])
    events = plan_events(run.tenant, data["events"], store, effects, run.run_id, cancelled)
    cancels = plan_cancellations(run.tenant, data["cancellations"], store)
    path = run.write_json(
        PLANNED,
        {
            "effects": effects.as_dict(),
            "events": events.actions_json(),
            "cancellations": cancels.actions_json(),
        },
    )
    counts = {"events": events.counts(), "cancellations": cancels.counts()}
    return {"path": path, "effects": effects.as_dict(), "counts": counts}


def write(run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
    """Send status actions, then cancel/credit invoices; raise afterwards if anything is unsettled."""
    store: StateStore = run.resources.state()
    planned = run.read_json(transformed["path"])
    events = [PlannedAction(**item) for item in planned["events"]]
    cancels = [PlannedAction(**item) for item in planned["cancellations"]]
    tenant_id = run.tenant.tenant_id
    report = write_actions(run.resources.jetshop, store, tenant_id, events, run.run_id)
    corrections = apply_cancellations(
        run.resources.hogia() if cancels else None, store, tenant_id, cancels, run.run_id, _today(run)
    )
    lines = report.lines + corrections.lines
    path = run.write_json(WRITTEN, {"lines": lines})
    counts = {"status": report.counts(), "cancellations": corrections.counts()}
    log.info("write: %s", counts)
    unsettled = report.unsettled + corrections.unsettled
    if unsettled:
        named = ", ".join(f"{line['order_number']} ({line['action_key']})" for line in unsettled[:10])
        raise FeedbackNotSettled(
            f"{len(unsettled)} feedback actions are not settled yet: {named}; the retry looks each up first"
        )
    return {"path": path, "counts": counts, "quarantined": _quarantined(transformed)}


def _quarantined(transformed: dict[str, Any]) -> int:
    return int(transformed["counts"]["events"]["quarantined"])


def _today(run: StreamRun) -> Any:
    return datetime.now(ZoneInfo(run.tenant.timezone)).date()


def reconcile(run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
    """Compare the shop with what was sent; flag what needs a person; record the verdict."""
    store: StateStore = run.resources.state()
    tenant = run.tenant
    with store.transaction() as tx:
        records = tx.order_status.of_run(tenant.tenant_id, run.run_id)
    findings = reconciling.Findings()
    reconciling.check_states(records, findings)
    reconciling.check_statuses(run.resources.jetshop, records, findings)
    if any(r.action.kind == "shop_cancel" for r in records):
        reconciling.check_cancellations(run.resources.hogia(), records, findings)
    reconciling.check_authorisations(tenant, run.resources.jetshop, store, findings)
    quarantined = int(written.get("quarantined", 0))
    counts = ReconciliationCounts(
        expected=findings.checked,
        matched=findings.matched,
        missing=len(findings.unsettled),
        mismatched=len(findings.disagreements),
        quarantined=quarantined,
    )
    status = ReconciliationStatus.FAILED if findings.failed else ReconciliationStatus.OK
    summary = (
        f"{findings.matched}/{findings.checked} orders match; {len(findings.disagreements)} disagree; "
        f"{len(findings.unsettled)} unsettled; {len(findings.needs_person)} need a person; "
        f"{quarantined} events quarantined"
    )
    details = {
        "summary": summary,
        "disagreements": findings.disagreements,
        "unsettled": findings.unsettled,
        "needs_person": findings.needs_person,
    }
    with store.transaction() as tx:
        tx.reconciliation.record(
            tenant.tenant_id,
            ORDER_STATUS_STREAM,
            run.window.start,
            run.window.end,
            counts,
            status=status,
            run_id=run.run_id,
            details=details,
        )
    path = run.write_json(RECONCILED, details)
    (log.error if findings.failed else log.warning if findings.needs_person else log.info)(
        "reconciliation: %s", summary
    )
    if findings.failed:
        raise FeedbackReconciliationFailed(summary)
    return {
        "path": path,
        "status": status.value,
        "needs_person": len(findings.needs_person),
        **asdict(counts),
    }
