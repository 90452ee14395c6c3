"""Airflow connections that point the demo tenants at the two local simulators.

Connection ids follow the demo tenant files (``jetshop_<shop>``, ``hogia_<company>``); credentials come
from the seeded world, so they always match what the simulators accept. Used by ``make demo`` and by
the end-to-end tests, as ``AIRFLOW_CONN_<ID>`` environment variables (JSON form).
"""

from __future__ import annotations

import json

from jetshop_hogia_simulators.seed import World

JETSHOP_PATH = "/Webservice20/v3.0/webservice.asmx"


def demo_connections(world: World, *, jetshop_url: str, hogia_url: str) -> dict[str, dict[str, object]]:
    """Connection id → Airflow connection as a JSON-able dict, for every demo shop and company."""
    connections: dict[str, dict[str, object]] = {}
    for shop in world.shops:
        connections[f"jetshop_{shop.shop_id}"] = {
            "conn_type": "jetshop",
            "host": f"{jetshop_url}{JETSHOP_PATH}",
            "login": shop.user,
            "password": shop.password,
            "extra": {"shop_id": shop.shop_id, "cultures": ",".join(shop.cultures), "timeout": 30},
        }
    for company in world.companies:
        connections[f"hogia_{company.client_id}"] = {
            "conn_type": "hogia_smart",
            "host": hogia_url,
            "login": company.client_id,
            "password": company.client_secret,
            "extra": {"organisation_id": company.organisation_id, "timeout": 30},
        }
    return connections


def as_environment(connections: dict[str, dict[str, object]]) -> dict[str, str]:
    """``AIRFLOW_CONN_<ID>`` variables (JSON values) for the given connections."""
    return {f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(conn) for conn_id, conn in connections.items()}
