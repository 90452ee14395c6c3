"""``StateStore``: the entry point — one database, migrations, and short explicit transactions.

The store is the source of truth for what has been synced (never Airflow XCom, which is per run and can
be cleared). Work happens in short transactions::

    store = StateStore("sqlite:////path/state.db")
    store.migrate()
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id=run_id, payload_hash=h)

Keep transactions short and never call an external API inside one: on SQLite an open write transaction
blocks every other writer, and a push claim must be committed before the API call (see ``ledger``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url

from jetshop_hogia.state import migrate as migrations
from jetshop_hogia.state.bindings import BindingRepository
from jetshop_hogia.state.engine import SQLITE_BUSY_TIMEOUT_SECONDS, create_state_engine
from jetshop_hogia.state.fencing import AdvisoryLockFence, NoFence, PushFence
from jetshop_hogia.state.intake_attempts import IntakeAttemptRepository
from jetshop_hogia.state.ledger import DEFAULT_CLAIM_TTL, OrderLedger
from jetshop_hogia.state.order_status import OrderStatusLedger
from jetshop_hogia.state.quarantine import QuarantineRepository
from jetshop_hogia.state.reconciliation import ReconciliationRepository
from jetshop_hogia.state.records import Claim, OrderKey
from jetshop_hogia.state.watermarks import WatermarkRepository


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


class StateTransaction:
    """The repositories of one database transaction; committed when the ``with`` block ends cleanly."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self.connection = connection
        self.quarantine = QuarantineRepository(connection, now)
        self.bindings = BindingRepository(connection, now)
        self.watermarks = WatermarkRepository(connection, now)
        self.reconciliation = ReconciliationRepository(connection, now)
        self.ledger = OrderLedger(connection, now, self.quarantine, self.bindings)
        self.intake = IntakeAttemptRepository(connection, now)
        self.order_status = OrderStatusLedger(connection, now)


class StateStore:
    """The sync state of every tenant in one SQLAlchemy database (SQLite or PostgreSQL).

    ``clock`` (aware UTC ``datetime`` factory) is injectable so tests can expire claims without waiting.
    The engine is created on first use, so constructing a store (e.g. at DAG parse time) costs nothing.
    """

    def __init__(
        self,
        url: str | URL,
        *,
        clock: Callable[[], datetime] = utc_now,
        sqlite_busy_timeout_seconds: float = SQLITE_BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self.url = make_url(url)
        self._clock = clock
        self._busy_timeout = sqlite_busy_timeout_seconds
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"StateStore({self.url.render_as_string(hide_password=True)!r})"

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, created lazily (thread-safe)."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = create_state_engine(
                        self.url, sqlite_busy_timeout_seconds=self._busy_timeout
                    )
        return self._engine

    def now(self) -> datetime:
        """The store's clock (aware UTC)."""
        return self._clock()

    def migrate(self, revision: str = "head") -> str | None:
        """Create or upgrade the schema; safe to call from every task, concurrently. Returns the revision."""
        return migrations.upgrade(self.engine, revision)

    def current_revision(self) -> str | None:
        """The schema revision the database is at (None when empty)."""
        with self.engine.connect() as connection:
            return migrations.current_revision(connection)

    def is_up_to_date(self) -> bool:
        """Whether the database is at the newest revision this package ships."""
        return self.current_revision() == migrations.head_revision()

    @contextmanager
    def transaction(self) -> Iterator[StateTransaction]:
        """One short transaction: committed on a clean exit, rolled back on an exception."""
        with self.engine.begin() as connection:
            yield StateTransaction(connection, self._clock)

    def claim_for_push(
        self, key: OrderKey, *, run_id: str, ttl: timedelta = DEFAULT_CLAIM_TTL
    ) -> Claim | None:
        """``ledger.claim_for_push`` in its own committed transaction (the claim must be durable before
        Hogia is called)."""
        with self.transaction() as tx:
            return tx.ledger.claim_for_push(key, run_id=run_id, ttl=ttl)

    @contextmanager
    def push_fence(self) -> Iterator[PushFence]:
        """The fence that keeps two tries from pushing one order at once (``state.fencing``).

        PostgreSQL: session advisory locks on a connection of the fence's own, all released when the
        block ends (or the process dies). SQLite: :class:`~.fencing.NoFence` — see its docstring for
        what that does not promise.
        """
        fence: PushFence = (
            AdvisoryLockFence(self.engine) if self.url.get_backend_name() == "postgresql" else NoFence()
        )
        try:
            yield fence
        finally:
            fence.close()

    def dispose(self) -> None:
        """Close pooled connections (end of a task, or before a fork)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.dispose()
