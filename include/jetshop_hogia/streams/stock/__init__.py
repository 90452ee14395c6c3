"""The ``stock`` stream: Hogia stock balances (and in combo stock status) → Jetshop, newest level wins.

``stream`` holds the class; ``jetshop`` builds the ``StockData`` writes and reads them back; the rules
are in :mod:`jetshop_hogia.catalog.stock`.
"""

from jetshop_hogia.streams.stock.stream import Stock

__all__ = ["Stock"]
