"""Airflow DAG file: ``replay_order`` and ``redrive_quarantine``, manual DAGs shared by every tenant.

Thin on purpose — see ``jetshop_hogia.orchestration.manual_dags``. Built only when the dag-processor
parses this file or a task of one of these two DAGs runs (a task of a tenant DAG skips it).
"""

from __future__ import annotations

from airflow.sdk import get_parsing_context

from jetshop_hogia.orchestration.manual_dags import MANUAL_DAG_IDS, build_manual_dags

if get_parsing_context().dag_id in (None, *MANUAL_DAG_IDS):
    globals().update(build_manual_dags())
