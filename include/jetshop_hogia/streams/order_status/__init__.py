"""The ``order_status`` stream: Hogia invoice events move Jetshop orders, exactly once (issue 11).

Modules: ``stream`` (the registered class), ``steps`` (the four steps), ``status_map`` (the one status
rule), ``quiet`` (historical runs send no e-mail and capture nothing), ``fetching``, ``planning``,
``writing``, ``cancelling``, ``reconciling`` (pure modules behind the steps).
"""

from jetshop_hogia.streams.order_status.stream import OrderStatus

__all__ = ["OrderStatus"]
