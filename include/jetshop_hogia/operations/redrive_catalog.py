"""Re-drive quarantined catalog items: read them from the source again and send those that now pass.

A catalog item is quarantined when it cannot be mapped (a product without VAT rate or name, a price with
öre) or the target refused it. A scheduled run does not necessarily see it again after the fix:
``products_to_hogia`` reads only the products changed since its window (until the next full compare),
and a fix made in Hogia does not touch the Jetshop product at all. So the re-drive runs each affected
stream's own fetch → transform → write — no second implementation — with two run params:

- ``full_compare``: the fetch reads the whole source, whenever the product last changed;
- ``only_keys`` (``streams._catalog.restrict``): only the quarantined (scope, key) pairs are planned,
  so nothing else of the catalog is sent, and only their problems are quarantined again.

Reconcile is not run (the write's per-item answers confirm; the next scheduled compare reads back).
Per entry the outcome is one of:

- ``sent`` — written and confirmed; the write's confirm closed the entry;
- ``quarantined`` — still fails (in the mapping or at the target): the entry stays open with its *new*
  reason code and text (``QuarantineRepository.put`` replaces them);
- ``unchanged`` — the target already holds exactly this payload (the confirmed hash matches, or for
  stock a newer level): nothing sent, the entry is closed;
- ``ignored`` — the item is now out of the stream's scope (a variant parent, not in the shop): closed;
- ``not_found_in_source`` — the source no longer has the item: the entry stays open for a human;
- ``not_written`` — the stream could not be read or written this time (see :class:`CatalogRedriveIncomplete`);
- ``stream_not_enabled`` — the tenant no longer has the entry's stream: left open (release it by hand).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from upath import UPath

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import REGISTRY, Resources, StreamRun
from jetshop_hogia.operations.quarantine import list_open
from jetshop_hogia.state import QuarantineEntry, StateStore
from jetshop_hogia.streams._catalog import files
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.full_read import full_read_run
from jetshop_hogia.streams._catalog.restrict import ONLY_KEYS_PARAM

log = logging.getLogger(__name__)

SENT = "sent"
QUARANTINED = "quarantined"
UNCHANGED = "unchanged"
IGNORED = "ignored"
NOT_FOUND = "not_found_in_source"
NOT_WRITTEN = "not_written"
STREAM_OFF = "stream_not_enabled"
KEYS_IN_HEADLINE = 10


class CatalogRedriveIncomplete(RuntimeError):
    """A stream's source or target could not be read or written; raised after every stream was tried,
    carrying the report (what was confirmed is stored and closed; a second re-drive does the rest)."""

    def __init__(self, message: str, report: CatalogRedriveReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class ItemLine:
    """One entry's outcome: stream, scope, item key, outcome and the (new) reason or ignore code."""

    stream: str
    scope: str
    key: str
    outcome: str
    reason: str | None = None


@dataclass
class CatalogRedriveReport:
    """Every selected entry's outcome, and the streams that failed (stream → error text)."""

    selected: int = 0
    items: list[ItemLine] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Entries per outcome."""
        return dict(sorted(Counter(line.outcome for line in self.items).items()))

    def headline(self, tenant_id: str) -> str:
        """One line for the log: counts and the keys per outcome (codes and keys only)."""
        parts = []
        for outcome, count in self.counts.items():
            keys = [f"{line.stream}:{line.key}" for line in self.items if line.outcome == outcome]
            shown = ", ".join(keys[:KEYS_IN_HEADLINE]) + (" …" if len(keys) > KEYS_IN_HEADLINE else "")
            parts.append(f"{count} {outcome} ({shown})")
        failed = f"; failed streams: {', '.join(sorted(self.failed))}" if self.failed else ""
        done = "; ".join(parts) or "nothing"
        return f"re-drive of {tenant_id}: {self.selected} quarantined catalog items re-read: {done}{failed}"

    def to_dict(self, tenant_id: str) -> dict[str, Any]:
        """The task result (XCom): counts, the headline, one line per item, the failed streams."""
        return {
            "selected": self.selected,
            "counts": self.counts,
            "headline": self.headline(tenant_id),
            "items": [asdict(line) for line in self.items],
            "failed_streams": dict(self.failed),
        }


def catalog_streams() -> dict[str, CatalogStream]:
    """The registered catalog streams by name, one instance each (their quarantine entries are items)."""
    return {name: cls() for name, cls in REGISTRY.streams().items() if issubclass(cls, CatalogStream)}


def select_catalog_entries(
    store: StateStore, tenant_id: str, *, reason: str | None = None, item_keys: Collection[str] = ()
) -> list[QuarantineEntry]:
    """Open catalog entries: all, or of one reason code, or of the given item keys.

    A given key matches an entry's key, or its article (an article number selects every price row of it).
    """
    catalog = catalog_streams()
    wanted = {key.strip() for key in item_keys if key.strip()}
    entries = [e for e in list_open(store, tenant_id, reason=reason or None) if e.stream in catalog]
    if not wanted:
        return entries
    return [
        e for e in entries if e.record_key in wanted or catalog[e.stream].article_of(e.record_key) in wanted
    ]


def redrive_catalog(
    *,
    tenant: TenantConfig,
    resources: Resources,
    run_id: str,
    run_dir: str,
    now: datetime,
    reason: str | None = None,
    item_keys: Collection[str] = (),
    path_factory: Callable[[str], UPath] = UPath,
) -> CatalogRedriveReport:
    """Re-drive the selected catalog entries (see the module docstring); the report of every entry.

    Raises :class:`CatalogRedriveIncomplete` after every stream was tried if one of them failed.
    """
    store: StateStore = resources.state()
    entries = select_catalog_entries(store, tenant.tenant_id, reason=reason, item_keys=item_keys)
    report = CatalogRedriveReport(selected=len(entries))
    by_stream: dict[str, list[QuarantineEntry]] = {}
    for entry in entries:
        by_stream.setdefault(entry.stream, []).append(entry)
    streams = catalog_streams()
    for name, stream_entries in sorted(by_stream.items()):
        if name not in tenant.streams:
            report.items.extend(ItemLine(name, e.shop_id, e.record_key, STREAM_OFF) for e in stream_entries)
            continue
        only: dict[str, list[str]] = {}
        for entry in stream_entries:
            only.setdefault(entry.shop_id, []).append(entry.record_key)
        run = full_read_run(
            tenant=tenant,
            resources=resources,
            run_id=run_id,
            run_dir=run_dir,
            at=now,
            params={ONLY_KEYS_PARAM: only},
            path_factory=path_factory,
        )
        report.items.extend(_redrive_stream(streams[name], run, stream_entries, report.failed))
    log.info("%s", report.headline(tenant.tenant_id))
    if report.failed:
        failures = "; ".join(f"{name}: {error}" for name, error in sorted(report.failed.items()))
        raise CatalogRedriveIncomplete(
            f"catalog re-drive of {tenant.tenant_id} incomplete: {failures}. Confirmed items are stored "
            "and closed; trigger the re-drive again once the system answers.",
            report,
        )
    return report


@dataclass
class _Seen:
    """What the restricted transform and the write said, per (scope, key)."""

    planned: set[tuple[str, str]] = field(default_factory=set)
    changed: set[tuple[str, str]] = field(default_factory=set)
    quarantined: set[tuple[str, str]] = field(default_factory=set)
    ignored: dict[tuple[str, str], str] = field(default_factory=dict)
    refused: set[tuple[str, str]] = field(default_factory=set)
    read_scopes: set[str] = field(default_factory=set)
    """Scopes whose source was read whole: a key missing there is not in the source."""


def _redrive_stream(
    stream: CatalogStream, run: StreamRun, entries: list[QuarantineEntry], failed: dict[str, str]
) -> list[ItemLine]:
    """fetch → restricted transform → write of one stream, then one line per entry."""
    seen = _Seen()
    try:
        transformed = stream.transform(run, stream.fetch(run))
        _read_transform(run, transformed, seen)
        written = stream.write(run, transformed)
        for scope, info in written["scopes"].items():
            refused = run.read_json(info["refused_path"]) if "refused_path" in info else []
            seen.refused.update((scope, outcome["key"]) for outcome in refused)
    except Exception as error:  # reported; the other streams are still re-driven, the task fails at the end
        log.error("%s: re-drive failed: %s: %s", stream.name, type(error).__name__, error)
        failed[stream.name] = f"{type(error).__name__}: {error}"[:500]
    return _classify(stream, run, entries, seen, stream_failed=stream.name in failed)


def _read_transform(run: StreamRun, transformed: dict[str, Any], seen: _Seen) -> None:
    """The restricted transform's files: planned and changed items, quarantined and ignored keys."""
    for scope, info in transformed["scopes"].items():
        if not info.get("error"):
            seen.read_scopes.add(scope)
        seen.planned.update((scope, item.key) for item in files.read_items(run, info["planned"]))
        seen.changed.update((scope, item.key) for item in files.read_items(run, info["changed"]))
        problems = run.read_json(info["problems"])
        seen.quarantined.update((scope, problem["key"]) for problem in problems["quarantined"])
        seen.ignored.update({(scope, problem["key"]): problem["code"] for problem in problems["ignored"]})


def _classify(
    stream: CatalogStream, run: StreamRun, entries: list[QuarantineEntry], seen: _Seen, *, stream_failed: bool
) -> list[ItemLine]:
    """One line per entry; entries whose target already holds the payload, or now ignored, are closed."""
    store: StateStore = run.resources.state()
    tenant_id, lines = run.tenant.tenant_id, []
    with store.transaction() as tx:
        for entry in entries:
            scope, key = entry.shop_id, entry.record_key
            now = tx.quarantine.get(tenant_id, stream.name, key, shop_id=scope)
            still_open = now is not None and now.is_open
            new_reason = now.reason_code if now is not None else None
            ignored = seen.ignored.get((scope, key)) or seen.ignored.get((scope, stream.article_of(key)))
            line = ItemLine(stream.name, scope, key, NOT_FOUND)
            if (scope, key) in seen.changed and not still_open:
                line = ItemLine(stream.name, scope, key, SENT)
            elif (scope, key) in seen.changed and stream_failed:
                line = ItemLine(stream.name, scope, key, NOT_WRITTEN, new_reason)
            elif (scope, key) in seen.refused or (scope, key) in seen.quarantined:
                line = ItemLine(stream.name, scope, key, QUARANTINED, new_reason)
            elif (scope, key) in seen.planned:  # the confirmed hash matches: the target holds it
                line = ItemLine(stream.name, scope, key, UNCHANGED)
            elif ignored is not None:
                line = ItemLine(stream.name, scope, key, IGNORED, ignored)
            elif stream_failed and scope not in seen.read_scopes:  # the source was not read
                line = ItemLine(stream.name, scope, key, NOT_WRITTEN, new_reason)
            if line.outcome in (UNCHANGED, IGNORED):
                tx.quarantine.resolve(tenant_id, stream.name, key, shop_id=scope)
            lines.append(line)
    for line in lines:
        log.info("%s %s %s: %s%s", line.stream, line.scope, line.key, line.outcome, _reason(line))
    return lines


def _reason(line: ItemLine) -> str:
    return f" ({line.reason})" if line.reason else ""
