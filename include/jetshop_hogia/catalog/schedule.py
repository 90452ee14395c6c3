"""When a run does the full compare: a fire time of the tenant's drift cron inside the run's window.

The window is half-open, like every run window, so each fire time belongs to exactly one run and a
nightly compare runs once a night however often the tenant syncs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter


def full_compare_due(cron: str, start: datetime, end: datetime, timezone: str) -> bool:
    """True when ``cron`` (in ``timezone``) fires at some moment in ``[start, end)``."""
    zone = ZoneInfo(timezone)
    just_before = start.astimezone(zone) - timedelta(seconds=1)  # get_next is strictly after its base
    upcoming: datetime = croniter(cron, just_before).get_next(datetime)
    return start <= upcoming < end
