"""Airflow DAG file without a DAG: turns broken tenant files into one import error, with file and field.

Airflow files import errors per DAG file and parks every DAG of a file that has one; raising here
instead of in ``tenant_sync.py`` keeps the valid tenants' DAGs running (see
``jetshop_hogia.orchestration.factory``).
"""

from __future__ import annotations

from jetshop_hogia.orchestration.factory import raise_for_broken_tenants

raise_for_broken_tenants()
