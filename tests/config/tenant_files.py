"""Builders for tenant files in the config tests: a valid base that each test bends in one place."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

BASE_TENANT: dict[str, Any] = {
    "tenant_id": "acme",
    "flow": "erp_led",
    "plan": 200,
    "shops": [
        {"id": "acme", "connection_id": "jetshop_acme", "channels": [{"channel_id": 1, "currency": "SEK"}]}
    ],
    "hogia": {"connection_id": "hogia_acme"},
    "order_trigger_statuses": [2],
    "streams": ["orders"],
}


def tenant_dict(**overrides: Any) -> dict[str, Any]:
    """A valid tenant, with top-level keys replaced (value ``None`` removes the key)."""
    data = copy.deepcopy(BASE_TENANT)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_tenant(folder: Path, data: dict[str, Any] | str, name: str | None = None) -> Path:
    """Write ``data`` (a dict dumped as YAML, or raw text) as ``<name or tenant_id>.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path = folder / f"{name}.yaml"
        path.write_text(data, encoding="utf-8")
    else:
        path = folder / f"{name or data['tenant_id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def shop(shop_id: str, *channels: tuple[int, str]) -> dict[str, Any]:
    """A shop entry with ``(channel_id, currency)`` channels."""
    return {
        "id": shop_id,
        "connection_id": f"jetshop_{shop_id}",
        "channels": [{"channel_id": cid, "currency": cur} for cid, cur in channels],
    }
