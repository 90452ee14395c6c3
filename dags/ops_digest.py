"""Airflow DAG file: the daily digest DAG (only when a tenant configures an alert channel).

Thin on purpose — see ``jetshop_hogia.orchestration.digest_dag``.
"""

from __future__ import annotations

from airflow.sdk import get_parsing_context

from jetshop_hogia.orchestration.digest_dag import DIGEST_DAG_ID, build_digest_dag

if get_parsing_context().dag_id in (None, DIGEST_DAG_ID):
    digest_dag = build_digest_dag()
