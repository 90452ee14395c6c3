"""The initial product sync (issue 10): one manually triggered run that makes both catalogs agree.

``options`` reads the trigger form, ``decisions`` matches articles and applies the conflict policy,
``engine`` plans batches and runs them with checkpoints, ``report`` sums the outcomes up. Free of
Airflow: ``jetshop_hogia.orchestration.initial_sync_dag`` builds the DAG around it.
"""
