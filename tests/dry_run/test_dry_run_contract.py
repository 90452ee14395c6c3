"""The kernel's dry-run contract without simulators: a stream without a dry write refuses before reading
anything; the rolled-back store shows a step its own writes and keeps none of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from jetshop_hogia.config import Flow, TenantConfig
from jetshop_hogia.kernel import Direction, DryRunRefused, RunWindow, Stream, StreamRun, run_step_of
from jetshop_hogia.kernel.dry_run import is_dry_run
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.rolled_back import DryRunResources, DryRunWriteAttempted, RolledBackStateStore

WINDOW = RunWindow(datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC))


class WritesOnly(Stream):
    """A stream with no dry write: every step it runs is counted."""

    name = "writes_only"
    flows = frozenset({Flow.SHOP_LED})
    direction = Direction.JETSHOP_TO_HOGIA

    def __init__(self) -> None:
        self.called: list[str] = []

    def fetch(self, run: StreamRun) -> dict[str, Any]:
        self.called.append("fetch")
        return {}

    def transform(self, run: StreamRun, fetched: dict[str, Any]) -> dict[str, Any]:
        self.called.append("transform")
        return {}

    def write(self, run: StreamRun, transformed: dict[str, Any]) -> dict[str, Any]:
        self.called.append("write")
        return {}

    def reconcile(self, run: StreamRun, written: dict[str, Any]) -> dict[str, Any]:
        self.called.append("reconcile")
        return {}


class NoResources:
    def jetshop(self, shop_id: str | None = None) -> Any:
        raise AssertionError("no client may be created")

    def hogia(self) -> Any:
        raise AssertionError("no client may be created")

    def state(self) -> Any:
        raise AssertionError("no state store may be opened")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


def _run(tmp_path: Path, params: dict[str, Any], resources: Any = None) -> StreamRun:
    demo = Path(__file__).resolve().parents[2] / "include" / "tenants" / "alpha_shop_led.yaml"
    tenant = TenantConfig.model_validate(yaml.safe_load(demo.read_text(encoding="utf-8")))
    return StreamRun(tenant, WINDOW, "manual__x", str(tmp_path), resources or NoResources(), params)


@pytest.mark.parametrize("step", ["fetch", "transform", "write", "reconcile"])
def test_a_stream_without_dry_write_refuses_every_step_and_runs_none(step: str, tmp_path: Path) -> None:
    stream = WritesOnly()
    with pytest.raises(DryRunRefused, match="writes_only cannot do a dry run"):
        run_step_of(stream, step, _run(tmp_path, {"dry_run": True}), {})
    assert stream.called == []


def test_without_dry_run_the_same_dispatch_runs_the_real_step(tmp_path: Path) -> None:
    stream = WritesOnly()
    run_step_of(stream, "write", _run(tmp_path, {"dry_run": False}), {})
    assert stream.called == ["write"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), (" True ", True), (False, False), (None, False), ("no", False)],
)
def test_the_param_is_read_as_ticked_only_when_true(value: object, expected: bool) -> None:
    assert is_dry_run({"dry_run": value}) is expected


def test_the_rolled_back_store_shows_its_writes_to_the_step_and_keeps_none(store: StateStore) -> None:
    dry = RolledBackStateStore(store)
    with dry.transaction() as tx:
        tx.watermarks.advance("acme", "orders", WINDOW.end, run_id="dry")
    with dry.transaction() as tx:  # the step reads what it recorded a moment ago
        assert tx.watermarks.get("acme", "orders") is not None
    with pytest.raises(DryRunWriteAttempted):
        dry.push_fence()
    dry.discard()
    with store.transaction() as tx:
        assert tx.watermarks.get("acme", "orders") is None
    with dry.transaction() as tx:  # usable again after a discard, and still empty
        assert tx.watermarks.get("acme", "orders") is None
    dry.discard()


def test_dry_run_resources_discard_on_close(store: StateStore, tmp_path: Path) -> None:
    class Inner:
        closed = False

        def jetshop(self, shop_id: str | None = None) -> Any:
            return "jetshop-hook"

        def hogia(self) -> Any:
            return "hogia-hook"

        def state(self) -> StateStore:
            return store

        def close(self) -> None:
            Inner.closed = True

    resources = DryRunResources(Inner())
    with resources.state().transaction() as tx:
        tx.watermarks.advance("acme", "orders", WINDOW.end, run_id="dry")
    resources.close()
    assert Inner.closed
    assert resources.hogia() == "hogia-hook"
    with store.transaction() as tx:
        assert tx.watermarks.get("acme", "orders") is None
