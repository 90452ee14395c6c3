"""Airflow DAG file: one ``sync_<tenant>`` DAG per tenant file in ``$JETSHOP_HOGIA_TENANTS_DIR``.

Thin on purpose — the factory lives in ``jetshop_hogia.orchestration.factory``. A broken tenant file
does not stop the others: its DAG is skipped here and reported by ``tenant_config_errors.py``. The two
files share each tenant file's validation outcome (``jetshop_hogia.config.cache``), so a parse round
reads a changed tenant file once.
"""

from __future__ import annotations

from jetshop_hogia.orchestration.factory import build_tenant_dags

globals().update(build_tenant_dags())
