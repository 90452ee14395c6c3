"""Operator actions on the sync state (what a human does from the UI or a CLI), free of Airflow."""
