"""Airflow DAG file: every DAG generated from the tenant files in ``$JETSHOP_HOGIA_TENANTS_DIR``.

Per valid tenant file ``sync_<tenant>`` (scheduled) and ``initial_sync_<tenant>`` (manual), plus the
daily digest when a tenant has an alert channel. Thin on purpose — the factory lives in
``jetshop_hogia.orchestration.factory``. A broken tenant file does not stop the others: its DAGs are
skipped here and the file is reported by ``tenant_config_errors.py``. The two files share each tenant
file's validation outcome (``jetshop_hogia.config.cache``), so a parse round reads a changed tenant file
once; a task process builds only the DAG it runs.
"""

from __future__ import annotations

from jetshop_hogia.orchestration.factory import build_tenant_dags

globals().update(build_tenant_dags())
