"""The value kinds of the Jetshop element tables, and how a value of each kind is read from XML.

Both Jetshop codecs (:mod:`.jetshop_products_xml`, FACT; :mod:`.jetshop_orders_xml`, MODEL) describe
their elements as tables of (element, attribute, kind, …). Defining the kinds and their readers once
keeps a ``dec`` or a ``dt`` meaning the same wire format in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from jetshop_hogia import soap

Kind = Literal["str", "int", "bool", "dec", "vat", "dt"]
"""How a value is written: text, xsd:int, true/false, 4-decimal number, 8-decimal VAT fraction, time."""

KIND_READERS: dict[str, Callable[[soap.Element, str], Any]] = {
    "str": soap.text,
    "int": soap.integer,
    "bool": soap.boolean,
    "dec": soap.decimal,
    "vat": soap.decimal,
    "dt": soap.timestamp,
}
"""The reader of each kind: ``KIND_READERS[kind](parent, element_name)`` is the value or None."""
