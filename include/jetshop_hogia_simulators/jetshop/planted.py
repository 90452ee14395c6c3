"""Planted ``Order_Get`` answers: what a broken shop or a broken proxy sends, for poison-record tests.

A real Jetshop can hold orders the integration cannot read (a quantity ``abc`` imported by a plugin, a
control character pasted into a name) and a proxy can answer with an HTML page, a truncated body or a
16 MB blob. The simulator's own state only holds valid orders, so tests plant the bad answer per order:

- ``edits``: change elements of the normal answer — set a text (``{"element": "Quantity", "text":
  "abc"}``), remove one (``"remove": true``) or make it nil (``"nil": true``); the first element of that
  name inside ``OrderData`` is edited (``"index"`` picks another);
- ``replace``: byte-level find/replace on the serialised answer (``{"find": "…", "replace": "…"}``), for
  what lxml refuses to build (control characters, truncation markers);
- ``body``: the whole HTTP body instead of a SOAP answer (HTML, JSON, empty …), padded with blanks to
  ``pad_to_bytes`` when given (an oversized answer).

Planted answers live beside the state, are not persisted, and vanish with ``/_admin/reset``.
"""

from __future__ import annotations

from lxml import etree
from pydantic import BaseModel, Field

from jetshop_hogia import soap


class ElementEdit(BaseModel):
    """One change to an element of the normal answer."""

    element: str
    text: str | None = None
    remove: bool = False
    nil: bool = False
    index: int = 0


class ByteReplace(BaseModel):
    """One byte-level substitution in the serialised answer (UTF-8)."""

    find: str
    replace: str


class PlantedAnswer(BaseModel):
    """How ``Order_Get`` answers for one order id (see the module docstring)."""

    edits: list[ElementEdit] = Field(default_factory=list)
    replace: list[ByteReplace] = Field(default_factory=list)
    body: str | None = None
    pad_to_bytes: int | None = Field(None, ge=0, le=64 * 1024 * 1024)


def _apply_edit(result: soap.Element, edit: ElementEdit) -> None:
    found = [node for node in result.iter() if soap.local_name(node) == edit.element]
    if len(found) <= edit.index:
        raise ValueError(f"the answer has no element {edit.element!r} #{edit.index}")
    node = found[edit.index]
    if edit.remove:
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)
    elif edit.nil:
        for child in list(node):
            node.remove(child)
        node.text = None
        node.set(etree.QName(soap.XSI_NS, "nil").text, "true")
    else:
        node.text = edit.text


def render(planted: PlantedAnswer, result: soap.Element) -> bytes:
    """The bytes sent instead of the normal answer, whose ``…Result`` element is ``result``."""
    if planted.body is not None:
        body = planted.body.encode()
    else:
        for edit in planted.edits:
            _apply_edit(result, edit)
        body = soap.serialize(result)
        for swap in planted.replace:
            body = body.replace(swap.find.encode(), swap.replace.encode())
    if planted.pad_to_bytes is not None and len(body) < planted.pad_to_bytes:
        body += b" " * (planted.pad_to_bytes - len(body))
    return body
