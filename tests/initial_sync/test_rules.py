"""The pure rules of the initial sync: defaults from the flow, matching, the conflict policy, the report."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from jetshop_hogia.config import Flow
from jetshop_hogia.initial_sync.decisions import (
    CONFLICT,
    CREATE,
    MATCH,
    Decision,
    decide,
    resolve,
    sent_outcome,
)
from jetshop_hogia.initial_sync.options import (
    ConflictPolicy,
    InitialSyncParamsError,
    SyncDirection,
    sync_options,
)
from jetshop_hogia.initial_sync.report import OUTCOMES, build_report, report_lines


def _tenant(flow: Flow) -> Any:
    return SimpleNamespace(flow=flow)


@pytest.mark.parametrize(
    ("flow", "direction"),
    [
        (Flow.ERP_LED, SyncDirection.HOGIA_TO_JETSHOP),
        (Flow.SHOP_LED, SyncDirection.JETSHOP_TO_HOGIA),
        (Flow.COMBO, SyncDirection.JETSHOP_TO_HOGIA),
    ],
)
def test_an_empty_direction_follows_the_flow_and_dry_run_is_the_default(
    flow: Flow, direction: SyncDirection
) -> None:
    chosen = sync_options({"direction": None}, _tenant(flow))
    assert chosen.direction is direction
    assert chosen.dry_run is True
    assert chosen.conflict_policy is ConflictPolicy.REPORT
    assert sync_options({"dry_run": False}, _tenant(flow)).dry_run is False


@pytest.mark.parametrize(
    "params", [{"direction": "sideways"}, {"conflict_policy": "merge"}, {"batch_size": 1}]
)
def test_params_the_form_would_refuse_fail_the_run(params: dict[str, Any]) -> None:
    with pytest.raises(InitialSyncParamsError):
        sync_options(params, _tenant(Flow.SHOP_LED))


def test_matching_compares_the_views_field_by_field() -> None:
    assert decide({"vat": 1}, None) == Decision(CREATE)
    assert decide({"vat": 1, "name": "a"}, {"vat": 1, "name": "a", "extra": 2}) == Decision(MATCH)
    assert decide({"vat": 1, "name": "a"}, {"vat": 2, "name": "b"}) == Decision(
        CONFLICT, "differs in name, vat"
    )


@pytest.mark.parametrize(
    ("policy", "outcome"),
    [
        (ConflictPolicy.REPORT, "conflicting"),
        (ConflictPolicy.SKIP, "skipped"),
        (ConflictPolicy.OVERWRITE, "send"),
    ],
)
def test_the_policy_decides_only_conflicts(policy: ConflictPolicy, outcome: str) -> None:
    assert resolve(Decision(CONFLICT, "x"), policy) == outcome
    assert resolve(Decision(CREATE), policy) == "send"
    assert resolve(Decision(MATCH), policy) == "matched"
    assert sent_outcome(Decision(CONFLICT)) == "updated"
    assert sent_outcome(Decision(CREATE)) == "created"


def test_the_report_counts_every_article_once_and_names_them() -> None:
    rows = [
        ("*", "A1", "created", None),
        ("*", "A2", "failed", "vat: unknown rate"),
        ("alpha", "B", "matched", None),
    ]
    report = build_report(rows, {"direction": "x", "dry_run": True, "conflict_policy": "skip"})
    assert report["planned"] == 3
    assert report["counts"] == {o: {"created": 1, "failed": 1, "matched": 1}.get(o, 0) for o in OUTCOMES}
    assert report["articles"]["matched"] == ["alpha:B"]
    lines = report_lines(report)
    assert "DRY RUN" in lines[0]
    assert any("A2 (failed): vat: unknown rate" in line for line in lines)
    with pytest.raises(ValueError, match="unknown"):
        build_report([("*", "A", "lost", None)], {})
