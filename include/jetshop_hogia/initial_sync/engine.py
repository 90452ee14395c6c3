"""Plan, run and sum up an initial sync: the catalog streams' planning, writers and bindings, batched.

- :func:`plan_batches` reads the whole source with the stream's own fetch and plan (variants are their
  own articles), reads the whole target once, decides per article (create / match / conflict / failed)
  and writes the decisions in batch files under the run directory — nothing is written anywhere else,
  so planning is the same in a dry run.
- :func:`run_batch` applies one batch: checkpoints first tell it what an earlier try of this run already
  finished (a killed or failed task resumes there); matched articles are bound without a write; the rest
  is sent with the stream's writer (a batch refused whole is split until the bad article stands alone);
  every confirmed article is bound in ``catalog_sync`` under the stream's key and checkpointed in the
  same transaction. A dry run writes its would-be outcomes to a run file instead.
- :func:`finish` builds the report from the checkpoints (or the dry run's files), keeps it in the state
  store and returns the counts.

Triggering twice is safe: a second run plans against the target as the first left it, so everything the
first created now matches; the writers themselves look an article up before creating it.
"""

from __future__ import annotations

import logging
from typing import Any

from jetshop_hogia.catalog.hashing import payload_hash
from jetshop_hogia.initial_sync.decisions import (
    BINDS,
    CONFLICT,
    FAILED,
    Decision,
    decide,
    resolve,
    sent_outcome,
)
from jetshop_hogia.initial_sync.options import SyncOptions
from jetshop_hogia.initial_sync.report import build_report, report_lines
from jetshop_hogia.kernel import REGISTRY, StreamRun
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.catalog_sync import CatalogSyncRepository, SyncedItem
from jetshop_hogia.state.initial_sync import InitialSyncRepository
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.model import HOGIA_SCOPE, Item, Outcome
from jetshop_hogia.streams._catalog.writing import ScopeWrite, chunked, send_splitting

log = logging.getLogger(__name__)

SEND_CHUNK = 100
"""Articles per write call inside a batch: the checkpoint moves after each, so a kill repeats at most
one chunk's calls (and those are look-up-first or upserts, so nothing is created twice)."""

Outcomes = dict[str, tuple[str, str | None]]


class InitialSyncSourceError(RuntimeError):
    """A side could not be read whole; planning on part of it would report false 'create's (retried)."""


def catalog_stream(options: SyncOptions) -> CatalogStream:
    """The catalog stream of the chosen direction."""
    stream = REGISTRY.get(options.direction.stream_name)()
    if not isinstance(stream, CatalogStream):  # pragma: no cover - both are catalog streams
        raise TypeError(f"{stream.name} is not a catalog stream")
    return stream


def plan_batches(run: StreamRun, options: SyncOptions) -> list[dict[str, Any]]:
    """Decide per article and write the batches; returns one small descriptor per batch."""
    stream = catalog_stream(options)
    fetched = stream.fetch(run)
    batches: list[dict[str, Any]] = []
    for plan in stream.plan(run, fetched):
        if plan.error:
            raise InitialSyncSourceError(f"{stream.name} {plan.scope}: source not read whole: {plan.error}")
        expected = {item.key: stream.expected_view(item.payload) for item in plan.items}
        actual = stream.read_target(run, plan.scope, list(expected), True)
        entries = [_entry(item, decide(expected[item.key], actual.get(item.key))) for item in plan.items]
        entries += [
            {"key": p.key, "payload": None, "version": None, "kind": FAILED, "detail": f"{p.code}: {p.text}"}
            for p in plan.quarantined
        ]
        kinds = {
            kind: sum(1 for e in entries if e["kind"] == kind)
            for kind in ("create", "match", CONFLICT, FAILED)
        }
        log.info("initial sync %s %s: %s; %d ignored", stream.name, plan.scope, kinds, len(plan.ignored))
        for number, start in enumerate(range(0, len(entries), options.batch_size), start=1):
            part = entries[start : start + options.batch_size]
            path = run.write_json(f"initial_sync/{plan.scope}/batch-{number:04d}.json", part)
            where = "Hogia" if plan.scope == HOGIA_SCOPE else f"shop {plan.scope}"
            label = f"{where} #{number}: {part[0]['key']}…{part[-1]['key']} ({len(part)})"
            batches.append({"scope": plan.scope, "file": path, "label": label, "count": len(part)})
    return batches


def _entry(item: Item, decision: Decision) -> dict[str, Any]:
    return {
        "key": item.key,
        "payload": item.payload,
        "version": item.version,
        "kind": decision.kind,
        "detail": decision.detail,
    }


def run_batch(run: StreamRun, options: SyncOptions, batch: dict[str, Any]) -> dict[str, int]:
    """Apply one batch (see the module docstring); returns the counts of its outcomes."""
    entries: list[dict[str, Any]] = run.read_json(batch["file"])
    scope = batch["scope"]
    if options.dry_run:
        outcomes = {e["key"]: _would_be(e, options) for e in entries}
        run.write_json(_dry_run_file(batch), [[scope, k, o, d] for k, (o, d) in outcomes.items()])
        return _counts(outcomes)
    store: StateStore = run.resources.state()
    tenant_id = run.tenant.tenant_id
    with store.transaction() as tx:
        done = InitialSyncRepository(tx.connection, store.now).done(tenant_id, run.run_id, scope)
    if done:
        log.info(
            "%s: %d of %d articles finished by an earlier try, resuming",
            batch["label"],
            len(done),
            len(entries),
        )
    stream = catalog_stream(options)
    by_key = {e["key"]: e for e in entries}
    final: Outcomes = {}
    to_send: list[Item] = []
    for entry in entries:
        if entry["key"] in done:
            continue
        outcome = resolve(Decision(entry["kind"], entry["detail"]), options.conflict_policy)
        if outcome == "send":
            to_send.append(Item(entry["key"], entry["payload"], entry["version"]))
        else:
            final[entry["key"]] = (outcome, entry["detail"])
    _commit(run, stream, scope, final, by_key)
    for chunk in chunked(to_send, SEND_CHUNK):
        sent = send_splitting(chunk, lambda items: stream.send(run, scope, items), ScopeWrite(scope))
        _commit(run, stream, scope, {o.key: _sent(o, by_key[o.key]) for o in sent}, by_key)
    with store.transaction() as tx:
        recorded = InitialSyncRepository(tx.connection, store.now).done(tenant_id, run.run_id, scope)
    return _counts({key: (recorded[key], None) for key in by_key if key in recorded})


def _would_be(entry: dict[str, Any], options: SyncOptions) -> tuple[str, str | None]:
    decision = Decision(entry["kind"], entry["detail"])
    outcome = resolve(decision, options.conflict_policy)
    return (sent_outcome(decision) if outcome == "send" else outcome), entry["detail"]


def _sent(outcome: Outcome, entry: dict[str, Any]) -> tuple[str, str | None]:
    if not outcome.ok:
        return "failed", f"{outcome.code}: {outcome.problem}"
    return sent_outcome(Decision(entry["kind"])), entry["detail"]


def _commit(
    run: StreamRun, stream: CatalogStream, scope: str, outcomes: Outcomes, by_key: dict[str, dict[str, Any]]
) -> None:
    """Bindings, quarantine and checkpoints of some finished articles, in one transaction."""
    if not outcomes:
        return
    store: StateStore = run.resources.state()
    tenant_id = run.tenant.tenant_id
    bound = {
        key: SyncedItem(payload_hash(by_key[key]["payload"]), by_key[key]["version"])
        for key, (outcome, _) in outcomes.items()
        if outcome in BINDS
    }
    with store.transaction() as tx:
        CatalogSyncRepository(tx.connection, store.now).confirm(
            tenant_id, stream.stream_key(run), scope, bound
        )
        for key, (outcome, detail) in outcomes.items():
            if outcome == "failed":
                code, _, text = (detail or "failed").partition(": ")
                tx.quarantine.put(
                    tenant_id, stream.name, key, code, text or code, shop_id=scope, run_id=run.run_id
                )
        InitialSyncRepository(tx.connection, store.now).record(tenant_id, run.run_id, scope, outcomes)


def _counts(outcomes: Outcomes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome, _ in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _dry_run_file(batch: dict[str, Any]) -> str:
    name = str(batch["file"]).rsplit("/", 1)[-1]
    return f"initial_sync/dry_run/{batch['scope']}/{name}"


def finish(run: StreamRun, options: SyncOptions, batches: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's report: built, kept in the state store (not in a dry run), logged; returns the counts."""
    if options.dry_run:
        rows = [tuple(row) for batch in batches for row in run.read_json(_dry_run_file(batch))]
    else:
        store: StateStore = run.resources.state()
        with store.transaction() as tx:
            rows = InitialSyncRepository(tx.connection, store.now).outcomes(run.tenant.tenant_id, run.run_id)
    report = build_report(rows, options.as_dict())  # type: ignore[arg-type]
    if not options.dry_run:
        with store.transaction() as tx:
            InitialSyncRepository(tx.connection, store.now).save_report(
                run.tenant.tenant_id,
                run.run_id,
                direction=options.direction.value,
                policy=options.conflict_policy.value,
                dry_run=False,
                report=report,
            )
    else:
        run.write_json("initial_sync/dry_run/report.json", report)
    for line in report_lines(report):
        (log.warning if report["counts"]["failed"] else log.info)("%s", line)
    return {"planned": report["planned"], **report["counts"], "dry_run": options.dry_run}
