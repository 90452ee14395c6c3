"""Safe XML parsing: the only place in the project that turns untrusted bytes into an lxml tree.

Both sides read XML from the network (the simulator its requests, the hook Jetshop's answers), so the
parser refuses everything XML can be abused with: DTDs and entity declarations (billion laughs,
external entities), network access, huge text nodes, and documents larger than a fixed bound. A DOCTYPE
is refused outright — before parsing by a byte scan, and after parsing by ``docinfo`` — because no SOAP
message has a legitimate use for one (SOAP 1.2 forbids it).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

from jetshop_hogia.soap.errors import MalformedSoapError, UnsafeXmlError

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
"""Default size bound: larger than any Jetshop message seen (images are sent base64 in UploadImage)."""

# "<!DOCTYPE" and "<!ENTITY" in any case, also when encoded as UTF-16 (a NUL after every letter).
_FORBIDDEN = re.compile(
    rb"<\x00?!\x00?(?:D\x00?O\x00?C\x00?T\x00?Y\x00?P\x00?E|E\x00?N\x00?T\x00?I\x00?T\x00?Y)", re.I
)
_local = threading.local()


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def safe_parser() -> etree.XMLParser:
    """This thread's hardened parser (lxml parsers are reused per thread instead of being shared)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _new_parser()
        _local.parser = parser
    return parser


def parse_xml(data: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> etree._Element:
    """Parse untrusted bytes into the root element, refusing DTDs, entities and oversized input.

    Raises :class:`UnsafeXmlError` for refused documents and :class:`MalformedSoapError` for bytes
    that are not well-formed XML.
    """
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"XML document of {len(data)} bytes is larger than the limit of {max_bytes}")
    if _FORBIDDEN.search(data):
        raise UnsafeXmlError("XML documents with a DOCTYPE or entity declarations are refused")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedSoapError(f"not well-formed XML: {exc}") from exc
    if root is None:  # lxml returns None for some recoverable empty inputs
        raise MalformedSoapError("empty XML document")
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXmlError("XML documents with a DOCTYPE are refused")
    return root
