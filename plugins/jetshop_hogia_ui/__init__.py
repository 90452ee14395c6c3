"""The "Sync status" page inside the Airflow UI: a FastAPI app the api-server mounts, shown as a view.

``plugin.SyncStatusPlugin`` is what Airflow's plugin loader finds (through ``plugins/sync_status_plugin.py``);
the app itself (``app.create_app``) is only built inside the api-server, on its first request. The data
comes from ``jetshop_hogia.status`` (state store + tenant files); this package only authorises and renders.
"""
