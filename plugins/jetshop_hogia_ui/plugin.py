"""The Airflow plugin: mounts the Sync status app at ``/sync-status`` and links it into the UI.

Every Airflow process imports plugins (scheduler, workers, DAG processor), but only the api-server serves
``fastapi_apps``. The app is therefore wrapped in :class:`LazyApp`, which builds it — FastAPI routes,
templates, Airflow's auth dependencies — on the first request, so importing the plugin costs nothing.

Two UI entries (Airflow 3 ``external_views``, rendered in an iframe under the UI's own navigation):
"Sync status" in the main navigation (all tenants), and a "Sync status" tab on every DAG page that opens
the tenant of that DAG.
"""

from __future__ import annotations

import threading
from typing import Any

from airflow.plugins_manager import AirflowPlugin

URL_PREFIX = "/sync-status"
NAME = "Sync status"


class LazyApp:
    """An ASGI app that builds the real one (``jetshop_hogia_ui.app.create_app``) on first use."""

    def __init__(self) -> None:
        self._app: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        """The built app (thread-safe, once)."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    from jetshop_hogia_ui.app import create_app

                    self._app = create_app()
        return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.get()(scope, receive, send)

    def __repr__(self) -> str:
        return "jetshop_hogia_ui.app:create_app (built on first request)"


class SyncStatusPlugin(AirflowPlugin):
    """Per-tenant sync health, quarantine and reconciliation inside the Airflow UI."""

    name = "jetshop_hogia_sync_status"
    # AirflowPlugin declares these as class-level lists; the loader reads them from the class.
    fastapi_apps = [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": NAME}]  # noqa: RUF012
    external_views = [  # noqa: RUF012
        {
            "name": NAME,
            "href": f"{URL_PREFIX}/",
            "url_route": "sync-status",
            "destination": "nav",
            "nav_top_level": True,
        },
        {
            "name": NAME,
            "href": f"{URL_PREFIX}/by-dag/{{DAG_ID}}",
            "url_route": "sync-status-dag",
            "destination": "dag",
        },
    ]
