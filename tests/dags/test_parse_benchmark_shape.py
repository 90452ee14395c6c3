"""``make bench``'s parse comparison is fair: the bare-Airflow file builds the same DAG shape as ours.

If the generated tenants stopped validating, or the baseline drifted from "one task group of four
chained tasks per DAG", the ratio would compare different work; these tests keep the two in step.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jetshop_hogia.config import load_tenants
from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.orchestration.factory import build_tenant_dags
from jetshop_hogia.orchestration.manual_dags import build_manual_dags

pytestmark = pytest.mark.airflow


def _benchmark() -> ModuleType:
    """``benchmarks/dag_parse.py`` by path: the benchmarks are not an installed package."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "dag_parse.py"
    spec = importlib.util.spec_from_file_location("bench_dag_parse", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shape(dag: Any) -> list[tuple[str, frozenset[str]]]:
    """Each task's id without the DAG, with its upstream ids: the structure both sides must share."""
    return sorted((task.task_id, frozenset(task.upstream_task_ids)) for task in dag.tasks)


def test_generated_tenants_are_valid_and_build_the_bare_shape(tmp_path: Path) -> None:
    from airflow.dag_processing.dagbag import DagBag

    bench = _benchmark()
    bench.write_tenants(tmp_path / "tenants", count=3)
    loaded = load_tenants(tmp_path / "tenants", catalog=REGISTRY.catalog())
    assert loaded.errors == []
    assert [t.streams for t in loaded.tenants] == [["orders"]] * 3

    generated = build_tenant_dags(tmp_path / "tenants")
    ours = {dag_id: dag for dag_id, dag in generated.items() if dag_id.startswith("sync_")}
    bare_file = tmp_path / "bare" / "bare_dags.py"
    bare_file.parent.mkdir()
    bare_file.write_text(bench.BARE_DAG_FILE % {"tenants": 3}, encoding="utf-8")
    bare = DagBag(dag_folder=str(bare_file))

    assert bare.import_errors == {}
    scheduled = {dag_id: dag for dag_id, dag in bare.dags.items() if dag.schedule is not None}
    assert len(ours) == len(scheduled) == 3
    expected = [
        ("orders.fetch", frozenset()),
        ("orders.reconcile", frozenset({"orders.write"})),
        ("orders.transform", frozenset({"orders.fetch"})),
        ("orders.write", frozenset({"orders.transform"})),
    ]
    assert all(_shape(dag) == expected for dag in ours.values())
    assert all(_shape(dag) == expected for dag in scheduled.values())

    initial = {dag_id: dag for dag_id, dag in generated.items() if dag_id.startswith("initial_sync_")}
    assert len(generated) == len(ours) + len(initial)  # no digest: the tenants have no alert channel
    bare_initial = [dag for dag_id, dag in bare.dags.items() if dag_id.startswith("bare_initial_")]
    assert len(initial) == len(bare_initial) == 3
    manual_shape = [
        ("plan", frozenset()),
        ("report", frozenset({"plan", "sync_batch"})),
        ("sync_batch", frozenset({"plan"})),
    ]
    assert all(_shape(dag) == manual_shape for dag in [*initial.values(), *bare_initial])

    shared = build_manual_dags()
    bare_shared = [dag for dag_id, dag in bare.dags.items() if dag_id in ("bare_replay", "bare_redrive")]
    assert len(shared) == len(bare_shared) == bench.SHARED_MANUAL_DAGS
    assert sorted(len(dag.tasks) for dag in shared.values()) == sorted(len(d.tasks) for d in bare_shared)
    assert len(bare.dags) == bench.EXPECTED_DAGS - 2 * bench.TENANTS + 2 * 3  # the same count as ours
