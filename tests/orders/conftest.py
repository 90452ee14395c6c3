"""Fixtures of the order-stream tests: simulators without rate limits, a state store, a wired tenant."""

from __future__ import annotations

from stream_fixtures import resources, sims, store, tenant  # noqa: F401 - fixtures registered here
