"""Trigger parameters: malformed bounds refused before a run exists; contradictions are permanent."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from orders_helpers import connect_tenant_data

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.orchestration.factory import PERMANENT_ERRORS, build_tenant_dag
from jetshop_hogia.orchestration.params import TriggerParamsError, check_window_params
from jetshop_hogia.orchestration.runtime import window_for_run

pytestmark = pytest.mark.airflow
TENANT = TenantConfig.model_validate(connect_tenant_data("acme"))


def _resolve(conf: dict[str, Any]) -> dict[str, Any]:
    """What Airflow does with a trigger's conf (trigger form and REST API): merge, then validate."""
    params = copy.deepcopy(build_tenant_dag(TENANT).params)
    params.update(conf)
    return dict(params.validate())


@pytest.mark.parametrize("bad", ["yesterday", "24/11/2026", "2026-11-24 at noon", "2026-11"])
def test_the_schema_refuses_a_bound_that_is_not_an_iso_moment(bad: str) -> None:
    from airflow.sdk.definitions.param import ParamValidationError

    with pytest.raises(ParamValidationError, match="window_start"):
        _resolve({"window_start": bad, "window_end": "2026-11-25"})


@pytest.mark.parametrize(
    "good", ["2026-11-24", "2026-11-24T06:00", "2026-11-24 06:00:00", "2026-11-24T06:00:00+01:00"]
)
def test_the_schema_accepts_dates_and_local_or_offset_times(good: str) -> None:
    assert _resolve({"window_start": good, "window_end": "2026-11-25"})["window_start"] == good
    assert _resolve({})["window_start"] is None


def test_bounds_that_contradict_each_other_are_a_permanent_error() -> None:
    with pytest.raises(TriggerParamsError, match="both window_start and window_end"):
        check_window_params({"window_start": "2026-11-24"}, "Europe/Stockholm")
    with pytest.raises(TriggerParamsError, match="not before"):
        check_window_params({"window_start": "2026-11-25", "window_end": "2026-11-24"}, "Europe/Stockholm")
    with pytest.raises(TriggerParamsError, match="not before"):
        window_for_run({"params": {"window_start": "2026-11-24", "window_end": "2026-11-24"}}, TENANT)
    assert "jetshop_hogia.orchestration.params.TriggerParamsError" in PERMANENT_ERRORS


def test_a_manual_window_is_the_tenants_local_day() -> None:
    window = window_for_run({"params": {"window_start": "2026-11-24", "window_end": "2026-11-25"}}, TENANT)

    assert (window.start, window.end) == (
        datetime(2026, 11, 23, 23, tzinfo=UTC),
        datetime(2026, 11, 24, 23, tzinfo=UTC),
    )
