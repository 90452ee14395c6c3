"""The generic transform and write steps of a catalog stream (see ``base``).

transform: the stream's plan per scope → quarantine recorded, delta against the confirmed hashes, files.
With the run param ``only_keys`` (``{scope: [keys]}``, see ``restrict``) only those items are planned and
other scopes are left out: the quarantine re-drive reads the whole source but sends nothing else.
write: the changed items per scope, filtered again against the hashes (a retried write task skips what
its earlier try confirmed), sent by ``writing.write_scope``; a scope that fails is reported and the next
one still runs; :class:`CatalogWriteIncomplete` is raised at the end if any scope failed.
"""

from __future__ import annotations

import logging
from typing import Any

from jetshop_hogia.catalog.hashing import payload_hash
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.catalog_sync import CatalogSyncRepository, SyncedItem
from jetshop_hogia.streams._catalog import files
from jetshop_hogia.streams._catalog.base import CatalogStream, CatalogWriteIncomplete, problems_as_dicts
from jetshop_hogia.streams._catalog.delta import select_changed
from jetshop_hogia.streams._catalog.model import Item, Outcome, Problem
from jetshop_hogia.streams._catalog.restrict import only_keys, restrict
from jetshop_hogia.streams._catalog.writing import ScopeWrite, write_scope

log = logging.getLogger(__name__)
NOTES_LOGGED = 20


def stored_items(store: StateStore, tenant_id: str, key: str, scope: str) -> dict[str, SyncedItem]:
    """The confirmed hashes of one scope."""
    with store.transaction() as tx:
        return CatalogSyncRepository(tx.connection, store.now).load(tenant_id, key, scope)


def quarantine(store: StateStore, stream: str, run: StreamRun, scope: str, problems: list[Problem]) -> None:
    """Quarantine problems of one scope (one transaction)."""
    if not problems:
        return
    with store.transaction() as tx:
        for problem in problems:
            tx.quarantine.put(
                run.tenant.tenant_id,
                stream,
                problem.key,
                problem.code,
                problem.text,
                shop_id=scope,
                run_id=run.run_id,
            )


def transform(stream: CatalogStream, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
    """Plan, quarantine, select the delta; one set of files per scope."""
    store: StateStore = run.resources.state()
    key = stream.stream_key(run)
    scopes: dict[str, dict[str, Any]] = {}
    restriction = only_keys(run)
    for plan in stream.plan(run, fetched):
        if restriction is not None:  # a re-drive: only the named items of the named scopes
            if plan.scope not in restriction:
                continue
            plan = restrict(stream, plan, restriction[plan.scope])
        selection = select_changed(plan.items, stored_items(store, run.tenant.tenant_id, key, plan.scope))
        quarantine(store, stream.name, run, plan.scope, plan.quarantined)
        for note in plan.notes[:NOTES_LOGGED]:
            log.info("%s %s: %s", stream.name, plan.scope, note)
        problems = {
            "quarantined": problems_as_dicts(plan.quarantined),
            "ignored": problems_as_dicts(plan.ignored),
            "notes": plan.notes,
        }
        scopes[plan.scope] = {
            "planned": files.write_items(run, stream.name, plan.scope, "planned", plan.items),
            "changed": files.write_items(run, stream.name, plan.scope, "changed", selection.changed),
            "problems": files.write(run, stream.name, plan.scope, "problems", problems),
            "items": len(plan.items),
            "changed_count": len(selection.changed),
            "unchanged": selection.unchanged,
            "older": selection.older,
            "quarantined": len(plan.quarantined),
            "ignored": len(plan.ignored),
            "notes": len(plan.notes),
            "error": plan.error,
        }
        log.info(
            "%s %s: %d items, %d changed, %d unchanged, %d older than confirmed, %d quarantined, %d ignored",
            stream.name,
            plan.scope,
            len(plan.items),
            len(selection.changed),
            selection.unchanged,
            selection.older,
            len(plan.quarantined),
            len(plan.ignored),
        )
    return {"scopes": scopes, "stream_key": key}


def _write_one_scope(
    stream: CatalogStream, run: StreamRun, scope: str, items: list[Item], key: str
) -> ScopeWrite:
    store: StateStore = run.resources.state()
    tenant_id = run.tenant.tenant_id

    def send(chunk: list[Item]) -> list[Outcome]:
        return stream.send(run, scope, chunk)

    with store.transaction() as tx:  # entries a confirmed write settles (few: read once per scope)
        still_open = {
            e.record_key for e in tx.quarantine.open_entries(tenant_id, stream=stream.name, shop_id=scope)
        }

    def confirm(good: list[Item]) -> None:
        confirmed = {item.key: SyncedItem(payload_hash(item.payload), item.version) for item in good}
        with store.transaction() as tx:
            CatalogSyncRepository(tx.connection, store.now).confirm(tenant_id, key, scope, confirmed)
            for settled in still_open.intersection(confirmed):
                tx.quarantine.resolve(tenant_id, stream.name, settled, shop_id=scope)

    def refuse(bad: list[Outcome]) -> None:
        quarantine(store, stream.name, run, scope, [Problem(o.key, o.code, o.problem or "") for o in bad])

    return write_scope(
        scope,
        items,
        send=send,
        batch_size=run.tenant.catalog.batch_size,
        confirm=confirm,
        quarantine=refuse,
    )


def write(stream: CatalogStream, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
    """Send every scope's changed items; raise after all scopes if one of them failed."""
    store: StateStore = run.resources.state()
    key = transformed["stream_key"]
    scopes: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    for scope, info in transformed["scopes"].items():
        if info.get("error"):  # the source was (partly) unreadable: write what was read, then fail
            failed.append(f"{scope} (source not read: {info['error']})")
        planned_changes = files.read_items(run, info["changed"])
        # a retried task must not resend what its earlier try confirmed
        items = select_changed(planned_changes, stored_items(store, run.tenant.tenant_id, key, scope)).changed
        entry: dict[str, Any] = {"planned": info["planned"], "quarantined_in_transform": info["quarantined"]}
        try:
            result = _write_one_scope(stream, run, scope, items, key) if items else ScopeWrite(scope)
        except Exception as error:  # a failing shop is reported; the other shops are still written
            log.error("%s %s: write failed: %s: %s", stream.name, scope, type(error).__name__, error)
            failed.append(f"{scope} ({type(error).__name__}: {error})")
            scopes[scope] = {**entry, "error": f"{type(error).__name__}: {error}"[:500]}
            continue
        entry["confirmed_path"] = files.write(run, stream.name, scope, "confirmed", result.confirmed)
        entry["refused_path"] = files.write(
            run, stream.name, scope, "refused", [{"key": o.key, "code": o.code} for o in result.refused]
        )
        scopes[scope] = {**entry, **result.as_dict(), "already_confirmed": len(planned_changes) - len(items)}
        if info.get("error"):
            scopes[scope]["error"] = info["error"]
        log.info("%s %s: write %s", stream.name, scope, result.as_dict())
    if failed:
        raise CatalogWriteIncomplete(
            f"{stream.name}: {len(failed)} scope(s) not fully written: {'; '.join(failed)}. Confirmed items "
            "are stored and will not be sent again; the retry sends the rest."
        )
    return {"scopes": scopes, "stream_key": key}
