"""What an error body may contribute to a log line or an exception message: codes, field names, ids.

Masking free text is not enough: a Hogia 422 message such as "Kunden Anna Svensson, Storgatan 1 …" has no
e-mail or long digit run to mask, and so a name and a street address reached WARNING lines. So error
bodies are never quoted. :func:`body_summary` keeps only values that identify a problem:

- JSON (Hogia's three shapes: ProblemDetails, ``[{"errorCode", …}]``, a bare string): the values of code
  and id keys (``errorCode``, ``error``, ``errorScopeId``, ``sequentialId``, ``status``, ``traceId`` …)
  when they look like identifiers, and the *names* of the fields in ``errors: {field: [message]}`` —
  never a ``message``, ``title``, ``detail`` or any other free text;
- XML/SOAP: the fault code values (``soap:Sender``), never the reason text;
- anything else: its kind and size only.

The full body stays available on the error (``exc.response``) for code that parses it; it is never
logged. Use :func:`body_summary` for every excerpt of a response body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

SUMMARY_LIMIT: Final = 200
CODE_KEYS: Final = frozenset(
    {"errorcode", "code", "error", "errorscopeid", "sequentialid", "status", "traceid", "id", "field"}
)
"""Keys (compared case-insensitively) whose values name a problem rather than describe it."""
FIELD_MAP_KEYS: Final = frozenset({"errors"})
"""Keys whose value is ``{field name: [messages]}``: the field names are kept, the messages dropped."""
_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:\-/\[\]$]{1,64}")
_FAULT_CODE = re.compile(rb"<(?:[\w-]+:)?(?:Value|faultcode)>\s*([\w:.\-]{1,64})\s*</", re.IGNORECASE)
_MAX_NODES = 200


def body_summary(body: bytes | str | None, *, limit: int = SUMMARY_LIMIT) -> str:
    """A single-line summary of an error body holding no free text ('' for an empty body)."""
    raw = body.encode("utf-8", errors="replace") if isinstance(body, str) else (body or b"")
    if not raw.strip():
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        summary = _non_json_summary(raw)
    else:
        summary = _json_summary(data)
    return summary if len(summary) <= limit else summary[: limit - 1] + "…"


def _json_summary(data: Any) -> str:
    if isinstance(data, str):
        return f"a JSON text of {len(data)} characters (not quoted)"
    parts = list(dict.fromkeys(_identifying_parts(data)))  # in order, without repeats
    return "; ".join(parts) if parts else "JSON without error codes"


def _identifying_parts(data: Any) -> Iterator[str]:
    """``key=value`` for code and id keys, ``fields=a,b`` for field maps, found anywhere in ``data``."""
    stack: list[Any] = [data]
    visited = 0
    while stack and visited < _MAX_NODES:
        node = stack.pop(0)
        visited += 1
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                lowered = str(key).lower()
                if lowered in FIELD_MAP_KEYS and isinstance(value, dict):
                    names = [str(name) for name in value if _IDENTIFIER.fullmatch(str(name))]
                    if names:
                        yield f"fields={','.join(names)}"
                elif lowered in CODE_KEYS and _is_identifier(value):
                    yield f"{key}={value}"
                elif isinstance(value, list | dict):
                    stack.append(value)


def _is_identifier(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def _non_json_summary(raw: bytes) -> str:
    head = raw.lstrip()[:1]
    if head == b"<":
        codes = list(dict.fromkeys(code.decode() for code in _FAULT_CODE.findall(raw[:65536])))
        kind = "HTML" if raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")) else "XML"
        described = f"{kind} body of {len(raw)} bytes"
        return f"{described}; fault codes {','.join(codes)}" if codes else described
    return f"non-JSON body of {len(raw)} bytes (not quoted)"
