"""Delta selection: an item is sent when the target never confirmed it or confirmed another payload.

The stored hash is written only after the target confirmed the item (see ``writing``), so a lost answer
or a failed run leaves it unchanged and the item is sent again — idempotent writes make that harmless —
while everything confirmed before is not repeated. Stock adds a version rule: a level read from an older
Hogia ``rowVersion`` than the one already confirmed is never sent (an older run cannot overwrite a newer
level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jetshop_hogia.catalog.hashing import payload_hash
from jetshop_hogia.state.catalog_sync import SyncedItem
from jetshop_hogia.streams._catalog.model import Item


@dataclass
class Selection:
    """The items to send, and how many were unchanged or older than what the target has."""

    changed: list[Item] = field(default_factory=list)
    unchanged: int = 0
    older: int = 0


def select_changed(items: list[Item], stored: Mapping[str, SyncedItem]) -> Selection:
    """Split ``items`` into changed (to send) and unchanged / older (not sent)."""
    selection = Selection()
    for item in items:
        known = stored.get(item.key)
        if known is None:
            selection.changed.append(item)
        elif (
            item.version is not None
            and known.source_version is not None
            and item.version < known.source_version
        ):
            selection.older += 1
        elif known.pushed_hash == payload_hash(item.payload):
            selection.unchanged += 1
        else:
            selection.changed.append(item)
    return selection
