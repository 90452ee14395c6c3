"""The order stream's four steps on a :class:`StreamRun`: files in, files out, small dicts between.

Each function is what one Airflow task runs (through ``jetshop_hogia.streams.orders``) and is callable
without Airflow: a test passes a ``StreamRun`` with real hooks against the simulators and a state store.
The dicts returned hold file URIs and counts only; they are the XCom values.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from jetshop_hogia.errors import PermanentError
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.mapping import MatchOn
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, ReconciliationStatus, StateStore
from jetshop_hogia.state.order_quota import check_order_quota
from jetshop_hogia.streams.orders import files
from jetshop_hogia.streams.orders.fetching import fetch_shop
from jetshop_hogia.streams.orders.reconciling import Expectation, reconcile_orders, window_records
from jetshop_hogia.streams.orders.reference import read_reference
from jetshop_hogia.streams.orders.report import details
from jetshop_hogia.streams.orders.run_summary import headline
from jetshop_hogia.streams.orders.setup_check import check_tenant_setup
from jetshop_hogia.streams.orders.source_check import read_rounding_mode, read_sources
from jetshop_hogia.streams.orders.transforming import transform_shop
from jetshop_hogia.streams.orders.windows import DEFAULT_OVERLAP, window_label
from jetshop_hogia.streams.orders.writing import invoice_ref, write_drafts
from jetshop_hogia.streams.tenant_failures import TenantSetupError, from_refused_call

log = logging.getLogger(__name__)

NOT_HANDLED_HERE = frozenset({"skipped", "held_elsewhere"})
"""Write outcomes of orders this run did not act on; they are reconciled in their own window."""


class OrdersNotSettled(RuntimeError):
    """Some orders could not be settled this attempt (Hogia unavailable, answer lost and unverifiable).

    Raised after everything was recorded, so the task retry picks up exactly those orders. Not a
    ``PermanentError``: the DAG's retry policy retries it.
    """


class ReconciliationFailed(RuntimeError):
    """An order of the window owes an invoice and has none, or has more than one."""

    def __init__(self, message: str, run_note: str | None = None) -> None:
        super().__init__(message)
        self.run_note = run_note
        """The summary's first line, for the DAG run's note (see ``orchestration.tasks``)."""


def fetch(run: StreamRun, overlap: timedelta = DEFAULT_OVERLAP) -> dict[str, Any]:
    """Read each shop's orders for the window and, if there are any, the Hogia reference snapshot."""
    store: StateStore = run.resources.state()
    shops: dict[str, dict[str, Any]] = {}
    for shop in run.tenant.shops:
        fetched = fetch_shop(
            tenant=run.tenant,
            shop=shop,
            jetshop=run.resources.jetshop(shop.id),
            store=store,
            window=run.window,
            run_id=run.run_id,
            overlap=overlap,
        )
        shops[shop.id] = {
            "path": files.write_orders(run, shop.id, fetched.orders),
            "count": len(fetched.orders),
            "listed": fetched.listed,
            "owed": fetched.owed,
            "vanished": len(fetched.vanished),
            "quarantined": len(fetched.tally.quarantined) if fetched.tally else 0,
            "deferred": len(fetched.tally.deferred) if fetched.tally else 0,
        }
        log.info("shop %s: %d orders (%d listed, %d owed by the ledger)", shop.id, *_counts(fetched))
    total = sum(shop["count"] for shop in shops.values())
    reference_path = None
    if total:  # an empty window costs no Hogia call at all
        match_on = MatchOn(run.tenant.customer_matching.match_on.value)
        reference_path = files.write_reference(run, read_reference(run.resources.hogia(), match_on))
    return {"shops": shops, "reference": reference_path, "count": total}


def _counts(fetched: Any) -> tuple[int, int, int]:
    return len(fetched.orders), fetched.listed, fetched.owed


def transform(run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
    """Drafts per shop; quarantine and ignore recorded in the ledger."""
    store: StateStore = run.resources.state()
    reference = files.read_reference(run, fetched["reference"]) if fetched.get("reference") else None
    shops: dict[str, dict[str, Any]] = {}
    for shop_id, info in fetched["shops"].items():
        orders = files.read_orders(run, info["path"])
        counts = {"drafts": 0, "eligible": 0, "quarantined": 0, "ignored": 0, "already_handled": 0}
        drafts: tuple[Any, ...] = ()
        if orders and reference is not None:
            result = transform_shop(
                tenant=run.tenant,
                shop=run.tenant.shop(shop_id),
                orders=orders,
                reference=reference,
                store=store,
                run_id=run.run_id,
            )
            drafts = result.drafts
            counts = {
                "drafts": len(drafts),
                "eligible": result.eligible,
                "quarantined": result.quarantined,
                "ignored": result.ignored,
                "already_handled": result.already_handled,
            }
        shops[shop_id] = {"path": files.write_drafts(run, shop_id, drafts), **counts}
    return {"shops": shops, "reference": fetched.get("reference")}


def write(run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
    """Push every draft still owed; raise :class:`OrdersNotSettled` afterwards if a retry is needed."""
    drafts = [d for info in transformed["shops"].values() for d in files.read_drafts(run, info["path"])]
    drafts_paths = {shop_id: info["path"] for shop_id, info in transformed["shops"].items()}
    if not drafts or not transformed.get("reference"):
        _check_setup(run, transformed)  # every order refused in transform is a finding too
        path = run.write_json(files.WRITTEN, {"counts": {}, "orders": []})
        return {"path": path, "drafts": drafts_paths, "counts": {}}
    try:
        report = write_drafts(
            tenant=run.tenant,
            drafts=drafts,
            reference=files.read_reference(run, transformed["reference"]),
            hogia=run.resources.hogia(),
            store=run.resources.state(),
            run_id=run.run_id,
        )
    except PermanentError as exc:  # e.g. credentials revoked: say what to fix instead of an HTTP status
        failure = from_refused_call(exc, what="orders")
        if failure is None:
            raise
        raise TenantSetupError(failure) from exc
    path = run.write_json(files.WRITTEN, report.to_dict())
    log.info("write: %s; %s; customers created %d", report.books, report.counts, report.customers_created)
    _check_setup(run, transformed)
    unsettled = report.unsettled
    if unsettled:
        named = ", ".join(f"{line.order_number} ({line.outcome})" for line in unsettled[:10])
        raise OrdersNotSettled(
            f"{len(unsettled)} of {len(drafts)} orders are not settled yet: {named}. Everything else is "
            "recorded; the retry sends only these (after a look-up wherever an answer was lost)."
        )
    return {"path": path, "drafts": drafts_paths, "counts": report.counts}


def _check_setup(run: StreamRun, transformed: dict[str, Any]) -> None:
    """Fail the task with one message when this run's refusals are the tenant's set-up, not its orders."""
    check_tenant_setup(
        run.resources.state(),
        run.tenant.tenant_id,
        run.run_id,
        transformed,
        max_quarantined_share=run.tenant.operations.max_quarantined_share,
    )


def reconcile(run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
    """Check the window against Hogia, record the verdict, log it in words; fail on missing/duplicates."""
    store: StateStore = run.resources.state()
    tenant = run.tenant
    expectations: dict[OrderKey, Expectation] = {}
    for location in written.get("drafts", {}).values():
        for draft in files.read_drafts(run, location):
            day = draft.invoice.get("invoiceDate")
            expectations[OrderKey(*draft.key)] = Expectation(
                invoice_ref(draft, tenant), _date(day), draft.expected
            )
    report = run.read_json(written["path"])
    handled = [
        OrderKey(tenant.tenant_id, line["shop_id"], line["order_number"])
        for line in report["orders"]
        if line["outcome"] not in NOT_HANDLED_HERE
    ]
    records, reasons = window_records(store, tenant.tenant_id, run.window, handled)
    label = window_label(run.window, tenant.timezone)
    result = reconcile_orders(
        records=records,
        reasons=reasons,
        expectations=expectations,
        hogia=run.resources.hogia(),  # creating the hook costs nothing; it is called only if needed
        window=run.window,
        multi_shop=len(tenant.shops) > 1,
        sources=read_sources(run, tenant.tenant_id, [shop.id for shop in tenant.shops]),  # shop's amounts
        rounding_mode=read_rounding_mode(run),
    )
    status = ReconciliationStatus.FAILED if result.failed else ReconciliationStatus.OK
    info = details(result, label)
    with store.transaction() as tx:
        open_quarantine = tx.quarantine.count_open(tenant.tenant_id, stream=ORDERS_STREAM)
    info["headline"] = headline(result, label, open_quarantine=open_quarantine)
    with store.transaction() as tx:
        tx.reconciliation.record(
            tenant.tenant_id,
            ORDERS_STREAM,
            run.window.start,
            run.window.end,
            result.counts,
            status=status,
            run_id=run.run_id,
            details=info,
        )
    path = run.write_json(files.RECONCILED, info)
    (log.error if result.failed else log.info)("%s\nreconciliation: %s", info["headline"], info["summary"])
    quota = check_order_quota(store, tenant.tenant_id, tenant.plan, tenant.timezone, run.window.end)
    if quota.message:  # warned only: orders are never held back for the plan's quota
        log.warning("%s", quota.message)
    if result.failed:
        raise ReconciliationFailed(f"{info['headline']}. {info['summary']}", run_note=info["headline"])
    return {"path": path, "status": status.value, "run_note": info["headline"], **asdict(result.counts)}


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
