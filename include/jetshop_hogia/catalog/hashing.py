"""The hash of an item's payload: equal payloads give equal hashes whatever the key order or number type.

Delta writes compare this against the hash stored when the target last *confirmed* the item, so a
payload must hold exactly what is sent (and nothing volatile such as a fetch time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _canonical(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be part of a payload hash")


def payload_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the payload as canonical JSON (sorted keys, Decimals without trailing zeros).

    Keys starting with ``_`` are sent but not hashed: they carry what is written only once (a new
    product's name), so the item does not count as changed when it is no longer sent.
    """
    hashed = {key: value for key, value in payload.items() if not key.startswith("_")}
    encoded = json.dumps(hashed, sort_keys=True, separators=(",", ":"), default=_canonical)
    return hashlib.sha256(encoded.encode()).hexdigest()
