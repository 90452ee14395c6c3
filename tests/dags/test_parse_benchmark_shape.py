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

    ours = build_tenant_dags(tmp_path / "tenants")
    bare_file = tmp_path / "bare" / "bare_dags.py"
    bare_file.parent.mkdir()
    bare_file.write_text(bench.BARE_DAG_FILE % {"tenants": 3}, encoding="utf-8")
    bare = DagBag(dag_folder=str(bare_file))

    assert bare.import_errors == {}
    assert len(ours) == len(bare.dags) == 3
    expected = [
        ("orders.fetch", frozenset()),
        ("orders.reconcile", frozenset({"orders.write"})),
        ("orders.transform", frozenset({"orders.fetch"})),
        ("orders.write", frozenset({"orders.transform"})),
    ]
    assert all(_shape(dag) == expected for dag in ours.values())
    assert all(_shape(dag) == expected for dag in bare.dags.values())
