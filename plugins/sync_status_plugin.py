"""Airflow's plugin loader imports this file from the plugins folder; the plugin lives in jetshop_hogia_ui."""

from jetshop_hogia_ui.plugin import SyncStatusPlugin as SyncStatusPlugin
