"""The ``products_to_jetshop`` stream: Hogia articles marked "send to web shop" become Jetshop products.

``stream`` holds the class; ``jetshop`` plans the ``ProductData`` per culture, sends them and reads
them back.
"""

from jetshop_hogia.streams.products_to_jetshop.stream import ProductsToJetshop

__all__ = ["ProductsToJetshop"]
