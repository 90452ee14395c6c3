"""Airflow glue: the only part of ``jetshop_hogia`` that imports Airflow.

``factory`` builds the tenant DAGs, ``tasks`` is the callable behind every task, ``runtime`` turns a task
context into a ``StreamRun`` (window, run directory), ``resources`` creates hooks lazily, ``pools`` names
pools and creates them (``python -m jetshop_hogia.orchestration.pools``). Import the submodules
directly; this package itself imports nothing, so ``pools`` stays usable without loading Airflow.
"""
