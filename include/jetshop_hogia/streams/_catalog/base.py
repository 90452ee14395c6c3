"""``CatalogStream``: the four steps every catalog stream shares, around four stream-specific methods.

A subclass supplies:

- ``fetch`` — read the source (and whatever the target side must be known for planning) into files;
- ``plan`` — one :class:`ScopePlan` per scope from those files (pure: no target calls);
- ``send`` — write one chunk of items to one scope, one :class:`Outcome` per item;
- ``read_target`` / ``expected_view`` — comparable views of the target and of a sent payload.

The base does the rest: delta selection against the hashes the target confirmed, quarantine, the write
loop that splits refused batches and isolates scopes (a failing shop does not stop the others), and the
reconcile step that verifies what was written — or, on the drift schedule or with the run param
``full_compare``, everything — and records drift in the state store and the task log. The run param
``only_keys`` restricts a run to some items (see ``restrict``; used by the quarantine re-drive).
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar

from jetshop_hogia.kernel.dry_run import WouldBe
from jetshop_hogia.kernel.stream import Stream, StreamRun
from jetshop_hogia.streams._catalog.model import Item, Outcome, Problem, ScopePlan

log = logging.getLogger(__name__)


class CatalogWriteIncomplete(RuntimeError):
    """A scope (shop) could not be written this attempt; everything confirmed is stored, the rest is
    sent by the retry. Raised after every scope was tried."""


class CatalogStream(Stream):
    """Base of the catalog streams (not registered itself)."""

    reports_missing_in_source: ClassVar[bool] = False
    """A full compare also names target items the source does not have."""

    def stream_key(self, run: StreamRun) -> str:
        """Key of the stored hashes: stream and flow, so a flow switch sends everything once."""
        return f"{self.name}@{run.tenant.flow.value}"

    @abstractmethod
    def plan(self, run: StreamRun, fetched: dict[str, Any]) -> list[ScopePlan]:
        """Items, problems and ignored keys per scope, from the fetched files."""

    @abstractmethod
    def send(self, run: StreamRun, scope: str, items: list[Item]) -> list[Outcome]:
        """Write one chunk to one scope; raise ``PermanentError`` when the chunk is refused whole."""

    @abstractmethod
    def read_target(self, run: StreamRun, scope: str, keys: Iterable[str], full: bool) -> dict[str, Any]:
        """Views of what the target holds for ``keys`` (``full``: every item the target has)."""

    @abstractmethod
    def expected_view(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The view the target should show after ``payload`` was written."""

    def article_of(self, key: str) -> str:
        """The article number an item key belongs to (default: the key; prices key rows by price list)."""
        return key

    def verifiable_keys(self, run: StreamRun, scope: str, keys: Iterable[str]) -> list[str]:
        """The keys ``read_target`` can read back (default: all); others are not compared."""
        return list(keys)

    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import steps

        return steps.transform(self, run, fetched)

    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import steps

        return steps.write(self, run, transformed)

    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        from jetshop_hogia.streams._catalog import reconciling

        return reconciling.reconcile(self, run, written)

    def dry_write(self, run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
        from jetshop_hogia.streams._catalog import dry_run

        return dry_run.dry_write(self, run, transformed)


def problems_as_dicts(problems: list[Problem]) -> list[dict[str, str]]:
    """JSON form of problems for the run files."""
    return [{"key": p.key, "code": p.code, "text": p.text} for p in problems]
