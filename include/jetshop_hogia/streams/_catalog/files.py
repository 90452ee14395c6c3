"""Run-directory layout of a catalog stream: ``catalog/<stream>/<scope>/<name>.json``."""

from __future__ import annotations

import re
from typing import Any

from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import Item


def _safe(scope: str) -> str:
    return "all" if scope == "*" else re.sub(r"[^a-z0-9_]", "_", scope)


def path(stream: str, scope: str, name: str) -> str:
    """Relative path of one file of one scope."""
    return f"catalog/{stream}/{_safe(scope)}/{name}.json"


def write_items(run: StreamRun, stream: str, scope: str, name: str, items: list[Item]) -> str:
    """Write items; returns the file URI."""
    return run.write_json(path(stream, scope, name), [item.as_dict() for item in items])


def read_items(run: StreamRun, location: str) -> list[Item]:
    """Items written by :func:`write_items`."""
    return [Item.from_dict(raw) for raw in run.read_json(location)]


def write(run: StreamRun, stream: str, scope: str, name: str, payload: Any) -> str:
    """Any JSON payload of a scope."""
    return run.write_json(path(stream, scope, name), payload)
