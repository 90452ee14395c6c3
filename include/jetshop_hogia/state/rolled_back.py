"""A state store whose writes are real inside one task and discarded at its end (dry runs).

A dry run must run the same fetch and transform logic as a real run — and that logic records things
(orders seen, watermarks, ledger states, quarantine entries) and reads them back a few lines later. A
read-only store would make it fail; a fake would make it a different code path. So this wrapper holds
ONE connection with one outer transaction for the whole task: every ``transaction()`` is a SAVEPOINT
inside it (so the step reads its own writes), and :meth:`dispose` rolls the outer transaction back.
Nothing of a dry run is ever committed.

Cost: on SQLite (tests and demo only) the outer transaction begins ``IMMEDIATE`` and so holds the write
lock from the task's first use of the store until its end, API calls included: other writers wait (up to
the busy timeout). On PostgreSQL only the rows the task touched are locked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RootTransaction

from jetshop_hogia.state.ledger import DEFAULT_CLAIM_TTL
from jetshop_hogia.state.records import Claim, OrderKey
from jetshop_hogia.state.store import StateStore, StateTransaction


class DryRunWriteAttempted(RuntimeError):
    """A dry-run step asked for something only a real write needs (e.g. the push fence)."""


class RolledBackStateStore:
    """Wraps a :class:`StateStore`; same transaction API, nothing committed (see the module doc)."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._connection: Connection | None = None
        self._outer: RootTransaction | None = None

    def __repr__(self) -> str:
        return f"RolledBackStateStore({self._store!r})"

    @property
    def url(self) -> Any:
        return self._store.url

    def now(self) -> datetime:
        return self._store.now()

    def _open(self) -> Connection:
        if self._connection is None:
            self._connection = self._store.engine.connect()
            self._outer = self._connection.begin()
        return self._connection

    @contextmanager
    def transaction(self) -> Iterator[StateTransaction]:
        """A SAVEPOINT of the task's one transaction: released on a clean exit, rolled back on an error."""
        connection = self._open()
        with connection.begin_nested():
            yield StateTransaction(connection, self._store.now)

    def claim_for_push(
        self, key: OrderKey, *, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL
    ) -> Claim | None:
        with self.transaction() as tx:
            return tx.ledger.claim_for_push(key, run_id=run_id, ttl=ttl)

    def push_fence(self) -> Any:
        raise DryRunWriteAttempted("a dry run never pushes, so it has no push fence")

    def migrate(self, revision: str = "head") -> str | None:
        return self._store.migrate(revision)

    def discard(self) -> None:
        """Roll back everything this task recorded and close the connection."""
        if self._outer is not None:
            self._outer.rollback()
            self._outer = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def dispose(self) -> None:
        """Discard, then dispose the wrapped store's pool (what ``Resources.close`` calls)."""
        self.discard()
        self._store.dispose()


class DryRunResources:
    """A tenant's resources for a dry-run task: the same hooks, the state store rolled back.

    Wraps any ``Resources`` (``AirflowResources`` in a task, a test's own in a test). ``close`` discards
    the rolled-back store's transaction before the wrapped resources close their own.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._state: RolledBackStateStore | None = None

    def jetshop(self, shop_id: str | None = None) -> Any:
        return self._inner.jetshop(shop_id)

    def hogia(self) -> Any:
        return self._inner.hogia()

    def state(self) -> RolledBackStateStore:
        if self._state is None:
            self._state = RolledBackStateStore(self._inner.state())
        return self._state

    def close(self) -> None:
        if self._state is not None:
            self._state.discard()
            self._state = None
        closer = getattr(self._inner, "close", None)
        if callable(closer):
            closer()
