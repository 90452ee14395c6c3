"""The shape of a generated tenant DAG: groups, order, pools, retries, tags, docs and its run windows."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from airflow.sdk import RetryAction
from airflow.serialization.encoders import coerce_to_core_timetable
from airflow.timetables.base import DataInterval, TimeRestriction
from tenant_dag_helpers import tenant_yaml

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel import StreamContractError
from jetshop_hogia.orchestration.factory import MAX_ACTIVE_RUNS, build_tenant_dag

STOCKHOLM = pendulum.timezone("Europe/Stockholm")


def _dag(**overrides: Any) -> Any:
    return build_tenant_dag(TenantConfig.model_validate(tenant_yaml("acme", **overrides)))


@pytest.mark.usefixtures("fake_streams")
def test_each_enabled_stream_is_a_group_of_four_steps_in_order() -> None:
    dag = _dag()

    assert dag.dag_id == "sync_acme"
    assert sorted(dag.task_group.children) == ["fake_orders", "fake_stock"]
    for group in ("fake_orders", "fake_stock"):
        steps = [f"{group}.{step}" for step in ("fetch", "transform", "write", "reconcile")]
        assert set(steps) <= set(dag.task_ids)
        for upstream, downstream in itertools.pairwise(steps):
            assert dag.get_task(upstream).downstream_task_ids == {downstream}
        assert dag.get_task(steps[0]).upstream_task_ids == set()
    assert len(dag.tasks) == 8


@pytest.mark.usefixtures("fake_streams")
def test_only_the_streams_the_tenant_enables_are_built() -> None:
    dag = _dag(streams=["fake_orders"])

    assert {task.task_id.split(".")[0] for task in dag.tasks} == {"fake_orders"}


@pytest.mark.usefixtures("fake_streams")
def test_steps_use_the_pool_of_the_api_they_call() -> None:
    dag = _dag()
    pools = {task.task_id: task.pool for task in dag.tasks}

    assert pools["fake_orders.fetch"] == "tenant_acme_jetshop"  # Jetshop → Hogia reads Jetshop
    assert pools["fake_orders.write"] == pools["fake_orders.reconcile"] == "tenant_acme_hogia"
    assert pools["fake_stock.fetch"] == "tenant_acme_hogia"  # Hogia → Jetshop reads Hogia
    assert pools["fake_stock.write"] == pools["fake_stock.reconcile"] == "tenant_acme_jetshop"
    assert pools["fake_orders.transform"] == pools["fake_stock.transform"] == "default_pool"


@pytest.mark.usefixtures("fake_streams")
def test_retries_back_off_exponentially_and_runs_are_bounded() -> None:
    dag = _dag()

    assert 1 <= dag.max_active_runs == MAX_ACTIVE_RUNS <= 4
    assert dag.catchup is False
    for task in dag.tasks:
        assert task.retries == 3
        assert task.retry_exponential_backoff == 2.0
        assert task.retry_delay == timedelta(seconds=30)
        assert task.max_retry_delay == timedelta(minutes=10)
    policy = dag.tasks[0].retry_policy
    assert policy.evaluate(StreamContractError("bad result"), 1, 4).action is RetryAction.FAIL
    assert policy.evaluate(ConnectionError("reset"), 1, 4).action is RetryAction.DEFAULT
    serial = {task.task_id for task in dag.tasks if task.max_active_tis_per_dag == 1}
    assert serial == {f"fake_stock.{step}" for step in ("fetch", "transform", "write", "reconcile")}
    assert not any(task.depends_on_past for task in dag.tasks)  # a failed run must not hold the next


@pytest.mark.usefixtures("fake_streams")
def test_tags_docs_and_params_describe_the_tenant() -> None:
    dag = _dag(order_status_feedback={"statuses": {"delivered": {"jetshop_status_id": 3, "send_mail": True}}})

    assert set(dag.tags) == {"acme", "erp_led", "jetshop-hogia"}
    doc = dag.doc_md
    for expected in (
        "Tenant `acme`",
        "flow **erp_led**",
        "`*/15 * * * *` in **Europe/Stockholm**",
        "| acme | `jetshop_acme` | 1 | SEK | 23b8c1e9-3924-46de-beb1-3b9046685257 |",
        "| acme | `jetshop_acme` | 2 | NOK |",
        "connection `hogia_acme`",
        "one of: **2, 3**",
        "| delivered | 3 | yes |",
        "| fake_stock | hogia → jetshop | `tenant_acme_hogia` | `tenant_acme_jetshop` |",
    ):
        assert expected in doc, expected
    assert set(dag.params.keys()) == {"window_start", "window_end", "dry_run"}
    assert dag.params["window_start"] is None
    assert dag.params["dry_run"] is False  # a real run unless the trigger form's box is ticked


@pytest.mark.usefixtures("fake_streams")
@pytest.mark.parametrize(
    ("schedule", "first_start", "expected"),
    [
        # spring forward: the day of 2026-03-29 has 23 hours
        ("0 0 * * *", datetime(2026, 3, 29), [("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")]),
        # fall back: 2026-10-25 has 25 hours
        ("0 0 * * *", datetime(2026, 10, 25), [("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")]),
        # every 15 minutes across the missing hour 02:00–03:00
        (
            "*/15 * * * *",
            datetime(2026, 3, 29, 1, 30),
            [
                ("2026-03-29T01:30:00+01:00", "2026-03-29T01:45:00+01:00"),
                ("2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00"),
                ("2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00"),
            ],
        ),
    ],
)
def test_runs_own_touching_windows_in_the_tenants_time_zone(
    schedule: str, first_start: datetime, expected: list[tuple[str, str]]
) -> None:
    timetable = coerce_to_core_timetable(_dag(schedule=schedule, start_date="2026-01-01").timetable)
    restriction = TimeRestriction(
        earliest=pendulum.instance(first_start, tz=STOCKHOLM), latest=None, catchup=True
    )

    windows: list[DataInterval] = []
    for _ in expected:
        info = timetable.next_dagrun_info(
            last_automated_data_interval=windows[-1] if windows else None, restriction=restriction
        )
        assert info is not None
        assert info.data_interval is not None
        windows.append(info.data_interval)

    assert [
        (w.start.in_timezone(STOCKHOLM).isoformat(), w.end.in_timezone(STOCKHOLM).isoformat())
        for w in windows
    ] == (expected)
    for earlier, later in itertools.pairwise(windows):
        assert earlier.end == later.start  # [start, end): no gap, no overlap


def test_the_dag_file_itself_is_thin() -> None:
    """Guard against logic creeping into the DAG folder (it is parsed every few seconds)."""
    dag_file = Path(__file__).resolve().parents[2] / "dags" / "tenant_sync.py"
    code = [
        line
        for line in dag_file.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert "globals().update(build_tenant_dags())" in code
    assert len(code) < 15
