"""JSON request bodies with exact decimal numbers.

Money is :class:`~decimal.Decimal` throughout the project. ``json.dumps`` cannot write a Decimal, and
converting to float first would send ``0.1 + 0.2``-style noise to the ledger; writing it as a string
would change the JSON type the API sees. So Decimals are written as JSON numbers with their exact digits.
"""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any


def encode_json(value: Any) -> bytes:
    """UTF-8 JSON of ``value``; Decimals become numbers with exactly their digits (``12.50``).

    Dates and datetimes are refused: the wire format of times (naive Stockholm local time) is the API
    model's decision, so the caller converts them to strings first.
    """
    nonce = secrets.token_hex(4)
    decimals: list[str] = []

    def swap(item: Any) -> Any:
        if isinstance(item, Decimal):
            if not item.is_finite():
                raise ValueError(f"cannot send {item} as a JSON number")
            decimals.append(format(item, "f"))
            return f"\x00{nonce}:{len(decimals) - 1}\x00"
        if isinstance(item, dict):
            return {key: swap(val) for key, val in item.items()}
        if isinstance(item, list | tuple):
            return [swap(val) for val in item]
        return item

    text = json.dumps(swap(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if decimals:
        pattern = re.compile(rf'"\\u0000{nonce}:(\d+)\\u0000"')
        text = pattern.sub(lambda match: decimals[int(match.group(1))], text)
    return text.encode("utf-8")
