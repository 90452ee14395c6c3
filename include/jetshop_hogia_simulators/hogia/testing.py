"""A handle on a running Hogia simulator for tests and the demo: credentials, admin calls, API calls.

The ``hogia_sim`` fixture in tests/conftest.py yields one. It talks HTTP like any client (so faults and
the rate limit apply to :meth:`HogiaSimHandle.api`), and gives direct access to the app when a test has
to look behind the API (``handle.simulator.state``) or change the limiter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from fastapi import FastAPI

from jetshop_hogia.apimodel.hogia_smart import API_VERSION
from jetshop_hogia_simulators.common.ratelimit import Limiter
from jetshop_hogia_simulators.hogia.app import HogiaSimulator


@dataclass(frozen=True)
class DemoCompany:
    """One seeded Hogia company and its API client."""

    organisation_id: str
    name: str
    client_id: str
    client_secret: str
    rounding_mode: str


class HogiaSimHandle:
    """``url``, ``app``, ``simulator``, the demo companies, ``admin()`` and an authenticated ``api()``."""

    def __init__(self, url: str, app: FastAPI, *, timeout: float = 10.0) -> None:
        self.url = url
        self.app = app
        self.timeout = timeout
        self.session = requests.Session()
        self._tokens: dict[str, str] = {}
        self._default_limiter: Limiter | None = self.simulator.core.limiter
        self.companies = [
            DemoCompany(c["organisationId"], c["name"], c["clientId"], c["clientSecret"], c["roundingMode"])
            for c in self.simulator.state.credentials()
        ]

    @property
    def simulator(self) -> HogiaSimulator:
        """The simulator behind the app (core, state, tokens)."""
        simulator: HogiaSimulator = self.app.state.simulator
        return simulator

    @property
    def company(self) -> DemoCompany:
        """The first demo company (``alpha``, whole-krona rounding)."""
        return self.companies[0]

    @property
    def organisation_id(self) -> str:
        """The first demo company's organisation GUID."""
        return self.company.organisation_id

    @property
    def client_id(self) -> str:
        """The first demo company's client id."""
        return self.company.client_id

    @property
    def client_secret(self) -> str:
        """The first demo company's client secret."""
        return self.company.client_secret

    def admin(self, method: str, path: str, json: Any = None) -> Any:
        """Call an admin endpoint (``reset`` or ``/_admin/reset``) and return its decoded JSON."""
        if not path.startswith("/_admin"):
            path = "/_admin/" + path.lstrip("/")
        response = self.session.request(method, self.url + path, json=json, timeout=self.timeout)
        response.raise_for_status()
        return response.json() if response.content else None

    def token(self, company: DemoCompany | None = None) -> str:
        """A bearer token for ``company`` (default the first), cached until :meth:`reset`."""
        company = company or self.company
        if company.client_id not in self._tokens:
            response = self.session.post(
                self.url + "/connect/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": company.client_id,
                    "client_secret": company.client_secret,
                },
                timeout=self.timeout,
            )
            response.raise_for_status()
            self._tokens[company.client_id] = response.json()["access_token"]
        return self._tokens[company.client_id]

    def api(
        self,
        method: str,
        resource: str,
        *,
        company: DemoCompany | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        """An authenticated call of ``/{org}/{resource}`` with the pinned ``api-version``."""
        company = company or self.company
        response = self.session.request(
            method,
            f"{self.url}/{company.organisation_id}/{resource.lstrip('/')}",
            params={"api-version": API_VERSION, **(params or {})},
            json=json,
            headers={"Authorization": f"Bearer {self.token(company)}"},
            timeout=self.timeout,
        )
        return response

    def set_rate_limit(self, limiter: Limiter | None) -> None:
        """Replace the rate limiter (None switches it off) until the next :meth:`reset`."""
        self.simulator.core.limiter = limiter

    def reset(self) -> None:
        """Seeded state, no faults, zero counters, default limiter, clock back to now, fresh tokens."""
        self.simulator.core.limiter = self._default_limiter
        self.simulator.core.clock.set(datetime.now(UTC))
        self.admin("POST", "reset")
        self._tokens.clear()
