"""Airflow DAG file: the one manually triggered ``initial_sync`` DAG (a ``tenant`` Param picks the tenant).

Thin on purpose — built by ``jetshop_hogia.orchestration.initial_sync_dag`` (which says why one shared
DAG and not one per tenant). Its tenant list comes from the same files and validation cache as
``tenant_sync.py``; broken files are reported by ``tenant_config_errors.py``.
"""

from __future__ import annotations

from jetshop_hogia.orchestration.initial_sync_dag import build_initial_sync_dags

globals().update(build_initial_sync_dags())
