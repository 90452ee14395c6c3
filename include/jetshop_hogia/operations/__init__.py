"""What an operator does with the sync besides running it: look at and release quarantine, summarise runs.

Domain operations over the state store (no Airflow imports); the CLI (``python -m jetshop_hogia``), the
reconcile step and UI pages call these functions.
"""
