"""Helpers of the manual DAG tests: load a DAG from dags/, read a run's XComs and task states."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"


def load_dag(dag_id: str) -> Any:
    """The DAG from the real DAG folder, retries off (a failure must fail the run now)."""
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags[dag_id]
    for task in dag.tasks:
        task.retries = 0
    return dag


def xcoms(dag_id: str, run_id: str) -> dict[str, Any]:
    """Task id → return value of one run."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(XComModel).where(XComModel.dag_id == dag_id, XComModel.run_id == run_id)
        )
        return {
            row.task_id: json.loads(row.value) if isinstance(row.value, str | bytes) else row.value
            for row in rows
        }


def task_states(run: Any) -> dict[str, str]:
    """Task id → state of one run."""
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
