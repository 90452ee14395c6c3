"""The Hogia Smart simulator: REST/JSON per docs/API_MODEL.md, OAuth2 client credentials, faults.

``python -m jetshop_hogia_simulators.hogia --port 8102`` runs it; tests use :func:`create_app` with
:func:`jetshop_hogia_simulators.common.server.running`.
"""

from jetshop_hogia_simulators.hogia.app import HogiaSimulator, create_app

__all__ = ["HogiaSimulator", "create_app"]
