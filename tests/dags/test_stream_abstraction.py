"""The pure stream contract: windows, run files, small results, the registry and discovery."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tenant_dag_helpers import FakeOrders, FakeStock, tenant_yaml

from jetshop_hogia.config import Feature, Flow, TenantConfig
from jetshop_hogia.kernel import (
    MAX_XCOM_BYTES,
    Direction,
    RunWindow,
    Stream,
    StreamContractError,
    StreamRegistry,
    StreamRun,
    ensure_small_result,
)
from jetshop_hogia.kernel.registry import EXTRA_STREAM_MODULES_ENV

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class _NoResources:
    def jetshop(self, shop_id: str | None = None) -> Any:
        raise AssertionError("not used")

    def hogia(self) -> Any:
        raise AssertionError("not used")

    def state(self) -> Any:
        raise AssertionError("not used")


def _run(tmp_path: Path) -> StreamRun:
    window = RunWindow(datetime(2026, 3, 29, tzinfo=STOCKHOLM), datetime(2026, 3, 30, tzinfo=STOCKHOLM))
    tenant = TenantConfig.model_validate(tenant_yaml("acme"))
    return StreamRun(tenant, window, "manual__1", str(tmp_path / "run"), _NoResources())


def test_a_window_is_half_open_and_kept_in_utc() -> None:
    window = RunWindow(datetime(2026, 3, 29, tzinfo=STOCKHOLM), datetime(2026, 3, 30, tzinfo=STOCKHOLM))

    assert window.start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert window.start.tzinfo == UTC
    assert window.duration == timedelta(hours=23)  # the spring DST change day
    assert window.start in window
    assert window.end not in window
    assert window.end - timedelta(microseconds=1) in window
    assert window.local("Europe/Stockholm")[1].utcoffset() == timedelta(hours=2)
    assert window.as_dict() == {"start": "2026-03-28T23:00:00+00:00", "end": "2026-03-29T22:00:00+00:00"}


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (datetime(2026, 1, 1), datetime(2026, 1, 2, tzinfo=UTC), "timezone-aware"),
        (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "is not before"),
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "is not before"),
    ],
)
def test_a_window_refuses_naive_or_empty_intervals(start: datetime, end: datetime, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        RunWindow(start, end)


def test_run_files_round_trip_money_and_stay_inside_the_run_directory(tmp_path: Path) -> None:
    run = _run(tmp_path)

    uri = run.write_json(
        "orders/batch.json", {"total": Decimal("10.50"), "at": datetime(2026, 1, 1, tzinfo=UTC)}
    )

    assert Path(uri).is_file()
    assert Path(uri).parent == tmp_path / "run" / "orders"
    assert (
        run.read_json(uri)
        == run.read_json("orders/batch.json")
        == {
            "total": "10.50",
            "at": "2026-01-01T00:00:00+00:00",
        }
    )
    for escape in ("../other/batch.json", "/etc/passwd", "", "a/../../b"):
        with pytest.raises(ValueError, match="inside the run directory"):
            run.path(escape)


def test_results_must_be_small_plain_dicts() -> None:
    assert ensure_small_result("s", "fetch", {"path": "file:///x", "count": 3}) == {
        "path": "file:///x",
        "count": 3,
    }

    with pytest.raises(StreamContractError, match=r"s\.fetch returned list"):
        ensure_small_result("s", "fetch", [1, 2])
    with pytest.raises(StreamContractError, match="not plain JSON"):
        ensure_small_result("s", "write", {"total": Decimal("1.00")})
    big = {"rows": ["x" * 100] * (MAX_XCOM_BYTES // 100)}
    with pytest.raises(StreamContractError, match="write the batch to a file"):
        ensure_small_result("s", "transform", big)


def test_a_fake_stream_moves_its_batch_through_files_with_small_results(tmp_path: Path) -> None:
    run, stream = _run(tmp_path), FakeOrders()

    fetched = ensure_small_result(stream.name, "fetch", stream.fetch(run))
    transformed = ensure_small_result(stream.name, "transform", stream.transform(run, fetched))
    written = ensure_small_result(stream.name, "write", stream.write(run, transformed))
    reconciled = ensure_small_result(stream.name, "reconcile", stream.reconcile(run, written))

    assert Path(fetched["path"]).stat().st_size > MAX_XCOM_BYTES  # the batch itself would not fit XCom
    assert reconciled["matched"] == fetched["count"] == 300


def test_the_registry_checks_classes_and_refuses_name_clashes() -> None:
    registry = StreamRegistry()
    registry.register(FakeOrders)
    registry.register(FakeOrders)  # re-importing the same module registers the same class again: fine

    class Impostor(FakeOrders):
        pass

    with pytest.raises(ValueError, match="is taken by"):
        registry.register(Impostor)

    class Incomplete(Stream):
        name = "incomplete"
        flows = frozenset(Flow)
        direction = Direction.HOGIA_TO_JETSHOP

    with pytest.raises(TypeError, match="does not implement"):
        registry.register(Incomplete)

    for attributes, problem in [
        ({"name": "Bad-Name"}, "must match"),
        ({"name": "fetch"}, "not be a step name"),
        ({"flows": frozenset()}, "non-empty frozenset"),
        ({"direction": "up"}, "must be a Direction"),
        ({"requires": frozenset({"stock"})}, "Feature members"),
    ]:
        broken = type("Broken", (FakeOrders,), attributes)
        with pytest.raises(ValueError, match=problem):
            registry.register(broken)


def test_the_catalog_carries_flows_plan_features_and_checks() -> None:
    registry = StreamRegistry()
    registry.register(FakeStock)

    catalog = registry.catalog()

    assert catalog["fake_stock"].flows == {Flow.ERP_LED, Flow.COMBO}
    assert catalog["fake_stock"].requires == {Feature.STOCK}
    assert catalog["fake_stock"].check(TenantConfig.model_validate(tenant_yaml("acme"))) == []
    with pytest.raises(KeyError, match="registered: \\['fake_stock'\\]"):
        registry.get("nope")


def test_discovery_imports_extra_stream_modules_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "acme_extra_streams.py"
    module.write_text(
        "from tenant_dag_helpers import FakeOrders\n"
        "from jetshop_hogia.kernel import REGISTRY\n\n"
        "class ExtraStream(FakeOrders):\n"
        "    name = 'extra_stream'\n\n"
        "REGISTRY.register(ExtraStream)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(EXTRA_STREAM_MODULES_ENV, " acme_extra_streams , ")
    from jetshop_hogia.kernel import REGISTRY

    try:
        assert "extra_stream" in REGISTRY.streams()
    finally:
        REGISTRY.unregister("extra_stream")
        sys.modules.pop("acme_extra_streams", None)


def test_run_results_are_json_for_xcom(tmp_path: Path) -> None:
    run = _run(tmp_path)
    result = FakeOrders().fetch(run)
    assert json.loads(json.dumps(result)) == result
