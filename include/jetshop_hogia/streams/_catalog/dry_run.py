"""A catalog stream's dry write: the items a real write would send per scope, with a diff against the target.

The same selection as the real write (the transform's changes, filtered again against the confirmed
hashes), then one read of the target per scope (``read_target``, read only) to tell creates from updates
and name the fields that would change. ``send`` is never called and no hash is confirmed.
"""

from __future__ import annotations

import logging
from typing import Any

from jetshop_hogia.kernel.dry_run import WouldBe, field_diff
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog import files
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.delta import select_changed
from jetshop_hogia.streams._catalog.steps import stored_items

log = logging.getLogger(__name__)


def dry_write(stream: CatalogStream, run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
    """``create`` / ``update`` / ``resend_same`` per item a real write would send."""
    key = transformed["stream_key"]
    writes: list[WouldBe] = []
    for scope, info in transformed["scopes"].items():
        if info.get("error"):  # the real write would send what was read, then fail the task
            log.warning(
                "DRY RUN %s %s: source not fully read (%s); a real run would fail",
                stream.name,
                scope,
                info["error"],
            )
        planned = files.read_items(run, info["changed"])
        items = select_changed(planned, stored_items(run.resources.state(), run.tenant.tenant_id, key, scope))
        if not items.changed:
            continue
        keys = [item.key for item in items.changed]
        verifiable = set(stream.verifiable_keys(run, scope, keys))
        target = stream.read_target(run, scope, sorted(verifiable), False) if verifiable else {}
        for item in items.changed:
            view = target.get(item.key)
            diff = field_diff(view, stream.expected_view(item.payload))
            action = "create" if view is None else ("update" if diff else "resend_same")
            writes.append(WouldBe(action, item.key, item.payload, diff, scope=scope))
    return writes
