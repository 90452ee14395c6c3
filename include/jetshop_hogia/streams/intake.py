"""Poison-proof intake for every stream: read a batch record by record, never let one record stop it.

A stream's fetch reads records one at a time from a source that may answer anything. This module is the
part every stream shares (the order stream is the first user; catalogue and status streams reuse it):

- :func:`read_batch` calls the stream's ``read_one`` per id and sorts the outcomes: read, gone (the
  source no longer has the record), **rejected** (the answer was readable but the record is not: a field
  missing or ill-typed, a different record than asked for — quarantine it now, with the field and value
  at fault) and **unreadable** (the answer could not be read at all: HTML, truncated, oversized — maybe a
  passing proxy problem). The stream's ``classify`` decides which; whatever it re-raises (authentication,
  a bug) stops the batch, because it is not about one record.
- :func:`find_duplicate_keys` finds records that claim the same business key (two orders with one number
  in one shop): all of them are quarantined together, none is silently dropped.
- :func:`settle_unreadable` counts unreadable answers per record and run in the state store
  (``intake_attempts``) and says which records have failed in ``max_runs`` runs and must now be
  quarantined; the others are *deferred*: the stream asks for them again in its next runs
  (:func:`pending_ids`), whatever window those cover. :func:`forget_attempts` clears records read at last.
- :class:`BatchTally` keeps the books of one batch: records in = written + quarantined + ignored +
  deferred, checked and logged in one line with the quarantined ids and reasons (no personal data: ids,
  reason codes, field names and the values of non-personal fields only).

Quarantining itself stays with the stream (orders go into the order ledger, other streams elsewhere).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from jetshop_hogia.errors import TransientError

if TYPE_CHECKING:  # the registry imports this module at DAG parse time: no SQLAlchemy then
    from jetshop_hogia.state import StateStore

log = logging.getLogger(__name__)

IdT = TypeVar("IdT", bound=Hashable)
RecordT = TypeVar("RecordT")
KeyT = TypeVar("KeyT", bound=Hashable)

MAX_UNREADABLE_RUNS = 3
"""Runs that may fail to read a record's answer before it is quarantined as ``unreadable_answer``."""

UNREADABLE_RECORD = "unreadable_record"
ID_MISMATCH = "id_mismatch"
DUPLICATE_KEY = "duplicate_key"
UNREADABLE_ANSWER = "unreadable_answer"


@dataclass(frozen=True)
class Rejection:
    """A record to quarantine now: readable answer, unusable record (or two records with one key)."""

    record_id: str
    """The id it was asked for by (e.g. a Jetshop order id)."""
    label: str | None
    """What a human knows it by (an order number), when known."""
    reason_code: str
    field: str | None = None
    value: str | None = None
    """The value at fault, already made safe to show (see the stream's reportable-value rule)."""
    detail: str = ""

    def text(self) -> str:
        """The reason in words: field, value and detail (no personal data)."""
        where = f"{self.field} = {self.value}" if self.field and self.value is not None else self.field
        parts = [part for part in (where, self.detail) if part]
        return f"{self.reason_code}: {'; '.join(parts)}" if parts else self.reason_code

    @property
    def name(self) -> str:
        """``label (id N)`` or ``id N``: how logs name the record."""
        return f"{self.label} (id {self.record_id})" if self.label else f"id {self.record_id}"


@dataclass(frozen=True)
class Unreadable:
    """An answer that could not be read at all: a transient problem of one record, retried in later runs."""

    record_id: str
    label: str | None
    operation: str
    detail: str
    transient: bool = False
    """The transport gave up after its retries (timeout, 5xx): the source itself may be down."""


Problem = Rejection | Unreadable


@dataclass
class BatchRead(Generic[IdT, RecordT]):
    """What :func:`read_batch` found, in request order."""

    read: list[tuple[IdT, RecordT]] = field(default_factory=list)
    gone: list[IdT] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def read_batch(
    ids: Iterable[IdT],
    read_one: Callable[[IdT], RecordT | None],
    classify: Callable[[IdT, Exception], Problem],
) -> BatchRead[IdT, RecordT]:
    """Read every id; one record's failure never stops the others (see the module docstring).

    ``read_one`` returns the record or None (the source has no such record). ``classify`` turns an
    exception into a :class:`Rejection` or :class:`Unreadable`, or re-raises it to stop the batch. If
    every read failed on a transient error, the source is down, not one record: the first such error
    is raised so the task is retried as a whole.
    """
    batch: BatchRead[IdT, RecordT] = BatchRead()
    transient: list[TransientError] = []
    attempted = 0
    for record_id in ids:
        attempted += 1
        try:
            record = read_one(record_id)
        except Exception as exc:
            problem = classify(record_id, exc)
            if isinstance(problem, Rejection):
                batch.rejected.append(problem)
            else:
                batch.unreadable.append(problem)
                if isinstance(exc, TransientError):
                    transient.append(exc)
            continue
        if record is None:
            batch.gone.append(record_id)
        else:
            batch.read.append((record_id, record))
    if transient and len(transient) == attempted:
        raise transient[0]
    return batch


def find_duplicate_keys(
    records: Iterable[RecordT], key: Callable[[RecordT], KeyT]
) -> dict[KeyT, list[RecordT]]:
    """Keys that more than one record claims, with all of those records (in input order)."""
    groups: dict[KeyT, list[RecordT]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {k: group for k, group in groups.items() if len(group) > 1}


def pending_ids(store: StateStore, tenant_id: str, stream: str, scope: str) -> dict[str, str | None]:
    """Record id → label of every record of ``scope`` whose answer could not be read in earlier runs."""
    with store.transaction() as tx:
        return {attempt.record_id: attempt.label for attempt in tx.intake.pending(tenant_id, stream, scope)}


def settle_unreadable(
    store: StateStore,
    tenant_id: str,
    stream: str,
    scope: str,
    unreadable: Sequence[Unreadable],
    *,
    run_id: str,
    max_runs: int = MAX_UNREADABLE_RUNS,
) -> tuple[list[Unreadable], list[Rejection]]:
    """Count this run's unreadable answers; (deferred, to quarantine now after ``max_runs`` runs).

    The returned rejections' attempt rows are cleared; the caller quarantines them in the same breath.
    """
    deferred: list[Unreadable] = []
    exhausted: list[Rejection] = []
    with store.transaction() as tx:
        for item in unreadable:
            attempt = tx.intake.record_failure(
                tenant_id,
                stream,
                scope,
                item.record_id,
                reason_code=UNREADABLE_ANSWER,
                reason_text=f"{item.operation}: {item.detail}",
                run_id=run_id,
                label=item.label,
            )
            if attempt.attempts >= max_runs:
                tx.intake.clear(tenant_id, stream, scope, item.record_id)
                exhausted.append(
                    Rejection(
                        item.record_id,
                        item.label or attempt.label,
                        UNREADABLE_ANSWER,
                        detail=f"{item.operation} unreadable in {attempt.attempts} runs ({item.detail})",
                    )
                )
            else:
                deferred.append(item)
                log.warning(
                    "%s %s: %s answer unreadable (%s); run %d of %d, asked again next run",
                    stream,
                    f"{item.label} (id {item.record_id})" if item.label else f"id {item.record_id}",
                    item.operation,
                    item.detail,
                    attempt.attempts,
                    max_runs,
                )
    return deferred, exhausted


def forget_attempts(
    store: StateStore, tenant_id: str, stream: str, scope: str, record_ids: Iterable[str]
) -> None:
    """Clear the failure counts of records that were read at last."""
    wanted = list(record_ids)
    if not wanted:
        return
    with store.transaction() as tx:
        known = {attempt.record_id for attempt in tx.intake.pending(tenant_id, stream, scope)}
        for record_id in wanted:
            if record_id in known:
                tx.intake.clear(tenant_id, stream, scope, record_id)


@dataclass
class BatchTally:
    """The books of one batch: every record that came in is written, quarantined, ignored or deferred."""

    stream: str
    scope: str
    received: int = 0
    written: int = 0
    ignored: int = 0
    quarantined: list[Rejection] = field(default_factory=list)
    deferred: list[Unreadable] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Whether in = written + quarantined + ignored + deferred."""
        return self.received == self.written + len(self.quarantined) + self.ignored + len(self.deferred)

    def summary(self, limit: int = 10) -> str:
        """One line for the task log, naming the quarantined and deferred records."""
        line = (
            f"{self.stream} {self.scope}: {self.received} in = {self.written} written + "
            f"{len(self.quarantined)} quarantined + {self.ignored} ignored + {len(self.deferred)} deferred"
        )
        if self.quarantined:
            named = "; ".join(f"{r.name}: {r.text()}" for r in self.quarantined[:limit])
            more = f" (+{len(self.quarantined) - limit} more)" if len(self.quarantined) > limit else ""
            line += f". Quarantined: {named}{more}"
        if self.deferred:
            named = ", ".join(
                f"{d.label} (id {d.record_id})" if d.label else f"id {d.record_id}"
                for d in self.deferred[:limit]
            )
            line += f". Deferred (answer unreadable, asked again next run): {named}"
        return line

    def log(self) -> None:
        """Log the summary; an unbalanced tally is a bug in the stream and is raised, not logged."""
        if not self.balanced:
            raise AssertionError(f"intake books do not balance: {self.summary()}")
        (log.warning if self.quarantined or self.deferred else log.info)("%s", self.summary())
