"""A handle on a running Jetshop simulator for tests and benchmarks (the ``jetshop_sim`` fixture).

It keeps the plumbing out of every test: the SOAP URL, shop credentials, a keep-alive session, and a
one-line way to call the admin endpoints.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.app import ENDPOINT
from jetshop_hogia_simulators.jetshop.simulator import JetshopSimulator

TEST_START = datetime.fromisoformat("2026-11-20T12:00:00+01:00")
"""The clock start the test fixture uses: seeded data and state dumps are reproducible from it."""


class JetshopSimHandle:
    """``url``, ``endpoint`` (full SOAP URL), ``app``, ``simulator``, and request helpers."""

    def __init__(self, app: Any, url: str) -> None:
        self.app = app
        self.simulator: JetshopSimulator = app.state.simulator
        self.url = url
        self.endpoint = url + ENDPOINT
        self.http = requests.Session()

    def credentials(self, shop_id: str = "alpha") -> tuple[str, str]:
        """Basic-auth (user, password) of a seeded shop."""
        shop = next(s for s in self.simulator.shops if s.shop_id == shop_id)
        return (shop.user, shop.password)

    def post(self, body: bytes, shop_id: str = "alpha", *, timeout: float = 10) -> requests.Response:
        """POST a SOAP 1.2 body authenticated as ``shop_id``."""
        headers = {"Content-Type": soap.CONTENT_TYPE}
        auth = self.credentials(shop_id)
        return self.http.post(self.endpoint, data=body, headers=headers, auth=auth, timeout=timeout)

    def call(
        self, operation: str, *params: soap.Element, shop_id: str = "alpha", timeout: float = 10
    ) -> soap.Element:
        """Build, POST and parse one operation; returns its result element (raises ``SoapFault``)."""
        response = self.post(soap.build_request(operation, params, shop_id=shop_id), shop_id, timeout=timeout)
        return soap.parse_response(response.content, operation, http_status=response.status_code)

    def admin(self, method: str, path: str, json: Any = None) -> Any:
        """Call an admin endpoint (the ``/_admin`` prefix is optional); returns its JSON, raises on errors."""
        path = path if path.startswith("/_admin") else "/_admin/" + path.lstrip("/")
        response = self.http.request(method, self.url + path, json=json, timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        """Back to the seeded state, start time and default faults."""
        self.admin("POST", "/_admin/reset")
