"""The page's HTML: Jinja templates (autoescaped) with the helpers they use; no Airflow imports.

Kept apart from the routes so the benchmark and tests can render exactly what the api-server serves
without starting Airflow.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from jetshop_hogia.status import BACKLOG_STATES
from jetshop_hogia_ui import views

templates = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
)
templates.globals.update(humanise=views.humanise, money=views.money, backlog_states=BACKLOG_STATES)


def render(template: str, *, app_root: str, user_name: str, **context: Any) -> str:
    """``template`` rendered for a request to the app mounted at ``app_root`` (e.g. ``/sync-status``)."""
    return templates.get_template(template).render(
        links=views.Links(app_root.rstrip("/")), user_name=user_name, now=datetime.now(UTC), **context
    )
