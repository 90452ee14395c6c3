"""Fencing: while one try writes an order to Hogia, no other try — not even a zombie of the same run — can.

The ledger's claim (``claim_for_push``) decides who may push, but a claim is a row, not a lock: a try
that Airflow lost track of (a *zombie*) keeps running after its retry took the claim over, and both may
look the invoice up, find nothing and create it. Hogia honours no idempotency key, so the only cure is to
make the look-up and the create of one order mutually exclusive between tries. A :class:`PushFence` does
that:

- :class:`AdvisoryLockFence` (PostgreSQL): a session-level advisory lock per order
  (``pg_try_advisory_lock``) on a connection of its own, taken before the claim and held across the
  look-up, the create and the recording of the outcome. It is never waited for: a try that cannot take
  it leaves the order to the try holding it (the order is reported ``fenced`` and retried later). The
  lock belongs to the database session, so it dies with the connection — a killed worker (kill -9, OOM,
  lost node) releases it at once; nothing has to expire. No transaction is open while it is held (the
  connection is in autocommit mode), so it blocks no other statement. Before every create the holder
  checks in ``pg_locks`` that its session still holds the lock (a dropped connection means it does not).
- :class:`NoFence` (SQLite): SQLite has no session locks. A SQLite state store lives on one machine and
  serialises writers, so every claim is still an atomic compare-and-set, but nothing is held *across*
  the Hogia call: there, only the fencing token (the claim token re-read before each create) protects
  against a zombie, and it narrows the window to the moment between that read and the create instead of
  closing it. See docs/ORDER_STREAM.md.

Use :meth:`StateStore.push_fence` to get the right one for the store.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from jetshop_hogia.state.records import OrderKey

log = logging.getLogger(__name__)


def fence_id(key: OrderKey) -> int:
    """The order's advisory-lock key: a signed 64-bit hash (collisions only make two orders share a lock)."""
    digest = hashlib.blake2b(
        f"push\x1f{key.tenant_id}\x1f{key.shop_id}\x1f{key.order_number}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


class PushFence(Protocol):
    """Mutual exclusion of one order's push between tries (see the module docstring)."""

    exclusive: bool
    """True when the fence really excludes other tries across the Hogia call (PostgreSQL)."""

    def acquire(self, key: OrderKey) -> bool:
        """Take the order's fence without waiting; False when another try holds it."""
        ...

    def holds(self, key: OrderKey) -> bool:
        """Whether this try still holds the order's fence (ask just before each create)."""
        ...

    def release(self, key: OrderKey) -> None:
        """Give the order's fence back (after the outcome is recorded)."""
        ...

    def close(self) -> None:
        """Release everything still held."""
        ...


class NoFence:
    """The fence of a store without session locks (SQLite): always granted, excludes nothing."""

    exclusive = False

    def acquire(self, key: OrderKey) -> bool:
        return True

    def holds(self, key: OrderKey) -> bool:
        return True

    def release(self, key: OrderKey) -> None:
        return None

    def close(self) -> None:
        return None


class AdvisoryLockFence:
    """PostgreSQL session advisory locks on a dedicated autocommit connection (opened on first use)."""

    exclusive = True

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._held: set[int] = set()

    def _session(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    def acquire(self, key: OrderKey) -> bool:
        lock = fence_id(key)
        taken = bool(
            self._session().execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock}).scalar_one()
        )
        if taken:
            self._held.add(lock)
        return taken

    def holds(self, key: OrderKey) -> bool:
        lock = fence_id(key)
        if lock not in self._held or self._connection is None:
            return False
        try:
            found = self._connection.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid::bigint = :hi AND objid::bigint = :lo"
                    " AND objsubid = 1)"
                ),
                {"hi": (lock >> 32) & 0xFFFFFFFF, "lo": lock & 0xFFFFFFFF},
            ).scalar_one()
        except SQLAlchemyError:  # the session is gone, and with it the lock
            log.warning("push fence of order %s lost with its database connection", key.order_number)
            return False
        return bool(found)

    def release(self, key: OrderKey) -> None:
        lock = fence_id(key)
        if lock not in self._held or self._connection is None:
            return
        self._held.discard(lock)
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
        except SQLAlchemyError:  # gone with the session; close() discards the connection
            log.warning("push fence of order %s was already gone when released", key.order_number)

    def close(self) -> None:
        if self._connection is None:
            return
        connection, self._connection = self._connection, None
        self._held.clear()
        try:
            connection.execute(text("SELECT pg_advisory_unlock_all()"))
        except SQLAlchemyError:
            connection.invalidate()  # never hand a session that may hold locks back to the pool
        finally:
            connection.close()
