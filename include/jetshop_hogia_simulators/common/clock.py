"""A movable clock, so tests and the demo can make days pass without waiting for them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class SimClock:
    """Wall-clock time plus an adjustable offset (or a frozen instant).

    Both simulators stamp changes with this clock; ``/_admin/clock`` moves it. Moving the clock never
    goes backwards unless asked to explicitly, because change lists are ordered by these stamps.
    """

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = frozen_at.astimezone(UTC) if frozen_at else None

    def now(self) -> datetime:
        """The simulated current time, aware, in UTC."""
        with self._lock:
            base = self._frozen if self._frozen is not None else datetime.now(UTC)
            return base + self._offset

    def local_now(self, tz: ZoneInfo = STOCKHOLM) -> datetime:
        """Naive local time, the way both real services write timestamps (no offset on the wire)."""
        return self.now().astimezone(tz).replace(tzinfo=None)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (or back, for a negative value) and return the new time."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def set(self, instant: datetime, *, freeze: bool = False) -> datetime:
        """Jump to an instant. With ``freeze`` time stops there until moved again."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=STOCKHOLM)
        with self._lock:
            if freeze:
                self._frozen = instant.astimezone(UTC)
                self._offset = timedelta(0)
            else:
                self._frozen = None
                self._offset = instant.astimezone(UTC) - datetime.now(UTC)
        return self.now()

    def describe(self) -> dict[str, object]:
        """The clock's state for the admin API."""
        return {
            "now_utc": self.now().isoformat(),
            "now_local": self.local_now().isoformat(),
            "frozen": self._frozen is not None,
            "offset_seconds": self._offset.total_seconds(),
        }
