"""A local stand-in for Jetshop Commerce's SOAP 1.2 integration service (see docs/simulators.md)."""

from jetshop_hogia_simulators.jetshop.app import ENDPOINT, create_app

__all__ = ["ENDPOINT", "create_app"]
