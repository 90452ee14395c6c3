"""The ``products_to_hogia`` stream: Jetshop products become Hogia articles (shop_led, combo).

``stream`` holds the class; ``fetching`` reads the changed products of every shop, ``planning`` maps
them through :mod:`jetshop_hogia.catalog.products`, ``hogia`` writes and reads the articles.
"""

from jetshop_hogia.streams.products_to_hogia.stream import ProductsToHogia

__all__ = ["ProductsToHogia"]
