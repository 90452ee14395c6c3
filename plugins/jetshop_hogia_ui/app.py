"""The Sync status FastAPI app (built by ``plugin.LazyApp`` inside the api-server)."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    """The app with its routes; no OpenAPI pages (it serves HTML to the Airflow UI's frame)."""
    from jetshop_hogia_ui.routes import router

    app = FastAPI(title="Sync status", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)
    return app
