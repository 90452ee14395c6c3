"""The ``prices`` stream: Hogia ordinary and campaign prices → one Jetshop price list per shop channel.

``stream`` holds the class; ``planning`` turns Hogia articles into integer inc-VAT rows (through
:mod:`jetshop_hogia.catalog.prices`), ``jetshop`` sends them and reads them back.
"""

from jetshop_hogia.streams.prices.stream import Prices

__all__ = ["Prices"]
