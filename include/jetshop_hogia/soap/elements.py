"""Reading and writing the elements of a document/literal message in the ``WebServiceProvider`` namespace.

Readers return ``None`` for an absent element and for ``xsi:nil="true"``, and parse present ones
strictly (an empty ``<PriceIncVat />`` is an error, as in .NET): the caller decides whether a missing
value is a default, a partial update, or a fault. Writers format values with the codecs of
:mod:`jetshop_hogia.soap.values`, so both sides of the wire write the same text.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from lxml import etree

from jetshop_hogia.soap import values
from jetshop_hogia.soap.errors import XmlValueError

OPERATION_NS = "WebServiceProvider"
"""The operation namespace: the literal string, not a URI (FACT)."""
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
DEFAULT_NSMAP: Any = {None: OPERATION_NS}
"""``xmlns="WebServiceProvider"`` (typed Any: lxml's stubs do not allow the None key)."""
_NIL = f"{{{XSI_NS}}}nil"
_PREFIX = f"{{{OPERATION_NS}}}"

Element = etree._Element
XmlScalar = str | int | bool | Decimal | datetime | uuid.UUID | None
T = TypeVar("T")


def qname(name: str) -> str:
    """``'ProductData'`` → ``'{WebServiceProvider}ProductData'``."""
    return _PREFIX + name


def local_name(element: Element) -> str:
    """The tag without its namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def is_nil(element: Element) -> bool:
    """True for ``xsi:nil="true"``."""
    return element.get(_NIL) in ("true", "1")


def child(parent: Element, name: str) -> Element | None:
    """The first child ``name`` in the operation namespace, or None."""
    return parent.find(_PREFIX + name)


def children(parent: Element, name: str) -> list[Element]:
    """Every child ``name`` in the operation namespace, in document order."""
    return parent.findall(_PREFIX + name)


def items(parent: Element | None, container: str, item: str) -> Iterator[Element]:
    """The ``item`` elements inside ``parent/container`` (``<Orders><OrderHeader/>…``); none if absent."""
    if parent is None:
        return iter(())
    box = child(parent, container)
    if box is None or is_nil(box):
        return iter(())
    return iter(children(box, item))


def has(parent: Element, name: str) -> bool:
    """True when the child exists (nil or not): the difference between "not sent" and "set to null"."""
    return parent.find(_PREFIX + name) is not None


def _read(parent: Element, name: str, convert: Callable[..., T]) -> T | None:
    element = parent.find(_PREFIX + name)
    if element is None or element.get(_NIL) in ("true", "1"):
        return None
    try:
        return convert(element.text, name=name)
    except XmlValueError as exc:
        exc.element = element
        raise


def text(parent: Element, name: str, default: str | None = None) -> str | None:
    """The text of child ``name``; ``''`` for an empty element, ``default`` when absent or nil."""
    element = parent.find(_PREFIX + name)
    if element is None or element.get(_NIL) in ("true", "1"):
        return default
    return element.text or ""


def integer(parent: Element, name: str) -> int | None:
    """Child ``name`` as xsd:int (None when absent or nil; an error when empty or not a number)."""
    return _read(parent, name, values.parse_int)


def decimal(parent: Element, name: str) -> Decimal | None:
    """Child ``name`` as xsd:decimal."""
    return _read(parent, name, values.parse_decimal)


def boolean(parent: Element, name: str) -> bool | None:
    """Child ``name`` as xsd:boolean."""
    return _read(parent, name, values.parse_bool)


def timestamp(parent: Element, name: str) -> datetime | None:
    """Child ``name`` as xsd:dateTime, aware UTC (naive wire text is Stockholm time)."""
    return _read(parent, name, values.parse_datetime)


def guid(parent: Element, name: str) -> uuid.UUID | None:
    """Child ``name`` as a GUID (any case); keep :func:`text` too when the raw form must be echoed."""
    return _read(parent, name, values.parse_guid)


def element(name: str, *, nsmap: bool = False) -> Element:
    """A new detached element in the operation namespace (``nsmap`` declares it as the default)."""
    return etree.Element(_PREFIX + name, nsmap=DEFAULT_NSMAP if nsmap else None)


def add(parent: Element, name: str, value: XmlScalar = None, *, nil: bool = True, places: int = 4) -> Element:
    """Append child ``name`` holding ``value`` formatted for the wire, and return it.

    ``None`` becomes ``xsi:nil="true"`` (or an empty element with ``nil=False``); ``bool`` →
    ``true``/``false``; ``Decimal`` → ``places`` decimals; aware ``datetime`` → Stockholm local time;
    ``UUID`` → upper case; ``str`` is written as given (so a GUID received as text is echoed as sent).
    Floats are refused: money is ``Decimal``.
    """
    node = etree.SubElement(parent, _PREFIX + name)
    if value is None:
        if nil:
            node.set(_NIL, "true")
    elif isinstance(value, str):
        if value:  # an empty string stays a self-closed element (<Message />), as .NET writes it
            node.text = value
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif isinstance(value, int):
        node.text = str(value)
    elif isinstance(value, Decimal):
        node.text = values.format_decimal(value, places)
    elif isinstance(value, datetime):
        node.text = values.format_datetime(value)
    elif isinstance(value, uuid.UUID):
        node.text = values.format_guid(value)
    else:
        raise TypeError(f"cannot write {type(value).__name__} to <{name}>")
    return node


def add_container(parent: Element, name: str) -> Element:
    """Append an empty child ``name`` to fill with items (``<Orders>``, ``<OrderRows>`` …)."""
    return etree.SubElement(parent, _PREFIX + name)
