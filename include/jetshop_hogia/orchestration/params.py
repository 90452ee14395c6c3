"""The trigger parameters of a tenant DAG, checked before a run can start and again as its first step.

Two layers, because JSON schema can check one field but not how two relate:

1. :func:`window_params` — the ``Param`` schemas. Airflow validates them when the trigger form is
   submitted and when the REST API creates a run (``dag.params`` is resolved with jsonschema there), so
   ``"yesterday"`` is refused before any run exists. The ``pattern`` is what enforces the shape: JSON
   schema's ``date-time`` format requires an offset (RFC 3339) and is only checked when the optional
   ``rfc3339-validator`` package is installed, while a window bound may be a plain date or a local time
   without offset; ``format: date`` still gives the trigger form a date picker.
2. :func:`check_window_params` — both bounds or neither, start before end. It runs at the start of every
   step (the first is ``fetch``) and raises :class:`TriggerParamsError`, which the DAG's retry policy
   lists as permanent: the run fails at once and frees its slot instead of retrying for minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

WINDOW_PARAMS = ("window_start", "window_end")

ISO_MOMENT_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}"  # a date …
    r"([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"  # … optionally with a time …
    r"(Z|[+-]\d{2}:\d{2})?)?$"  # … optionally with an offset (without: the tenant's local time)
)
"""An ISO 8601 date or date-time as ``datetime.fromisoformat`` reads it."""

WINDOW_HELP = (
    "Manual runs only: ISO date or date-time of the window bound, e.g. 2026-11-24 or 2026-11-24T06:00 "
    "(tenant-local time without an offset). Give both or neither; empty uses the run's data interval."
)


class TriggerParamsError(ValueError):
    """The run's parameters contradict each other; a retry cannot fix them (a permanent error)."""


def window_params(*, notify_customers: bool = False) -> dict[str, Any]:
    """``params=`` of a tenant DAG: the optional window bounds, schema-checked by Airflow.

    The schema names JSON Schema draft-07: Airflow validates every Param of every DAG at each parse, and
    checking a schema against the draft 2020-12 meta-schema costs three times as much (measured with
    1,000 tenants, ``make bench``). The factory attaches these to the DAG after its tasks exist, so they
    are not deep-copied into every task.
    """
    from airflow.sdk import Param

    params = {
        name: Param(
            None,
            description=WINDOW_HELP,
            schema={
                "$schema": JSON_SCHEMA_DRAFT_07,
                "type": ["null", "string"],
                "pattern": ISO_MOMENT_PATTERN,
                "title": name.replace("_", " "),
            },
        )
        for name in WINDOW_PARAMS
    }
    params[DRY_RUN_PARAM] = Param(
        False,
        description=DRY_RUN_HELP,
        schema={"$schema": JSON_SCHEMA_DRAFT_07, "type": "boolean", "title": "dry run"},
    )
    if notify_customers:  # only DAGs with the order_status stream: every Param costs parse time
        params[NOTIFY_CUSTOMERS_PARAM] = Param(
            None,
            description=NOTIFY_HELP,
            schema={
                "$schema": JSON_SCHEMA_DRAFT_07,
                "type": ["null", "boolean"],
                "title": "notify customers",
            },
        )
    return params


JSON_SCHEMA_DRAFT_07 = "http://json-schema.org/draft-07/schema#"

DRY_RUN_PARAM = "dry_run"
"""Same name as ``jetshop_hogia.kernel.dry_run.DRY_RUN_PARAM`` (not imported: this module stays light)."""
DRY_RUN_HELP = (
    "Tick to preview: read and plan everything, write nothing (no API write, no state change); the "
    "would-be payloads and a diff are stored under the run directory's dry_run/ and named in the log."
)

NOTIFY_CUSTOMERS_PARAM = "notify_customers"
NOTIFY_HELP = (
    "Order status feedback only: empty = automatic (runs of past windows and backfills send no customer "
    "e-mail and capture no payment); true = send and capture deliberately; false = never."
)


def parse_moment(raw: object, timezone: str) -> datetime:
    """An ISO date or date-time; without an offset it is the tenant's local time."""
    if not isinstance(raw, str):
        raise TriggerParamsError(f"window bound {raw!r} is not an ISO date/time string")
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise TriggerParamsError(
            f"window bound {raw!r} is not an ISO date or date-time (e.g. 2026-11-24T06:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(timezone))


def check_window_params(params: Mapping[str, Any], timezone: str) -> tuple[datetime, datetime] | None:
    """The manual window ``(start, end)``, None when neither bound is given; raises on contradictions."""
    raw_start, raw_end = (params.get(name) for name in WINDOW_PARAMS)
    if not raw_start and not raw_end:
        return None
    if not (raw_start and raw_end):
        raise TriggerParamsError(
            "give both window_start and window_end, or neither (the run then takes its data interval)"
        )
    start, end = parse_moment(raw_start, timezone), parse_moment(raw_end, timezone)
    if not start < end:
        raise TriggerParamsError(f"window_start {raw_start!r} is not before window_end {raw_end!r}")
    return start, end
