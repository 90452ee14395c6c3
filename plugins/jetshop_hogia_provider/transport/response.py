"""A fully read, size-bounded HTTP answer, detached from the socket it came from."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from requests.structures import CaseInsensitiveDict


@dataclass(frozen=True)
class TransportResponse:
    """Status, headers and body bytes of one answer.

    The transport reads bodies itself (streamed, with a byte limit) so that nothing downstream can be
    handed an unbounded or half-read stream; codecs (SOAP, JSON) work on ``content``.
    """

    status: int
    headers: CaseInsensitiveDict[str]
    content: bytes
    operation: str
    attempts: int
    duration_ms: float

    @property
    def ok(self) -> bool:
        """True for 2xx."""
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (``application/json``)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()

    def text(self, encoding: str = "utf-8") -> str:
        """The body decoded; undecodable bytes are replaced rather than failing a whole sync."""
        return self.content.decode(encoding, errors="replace")

    def json(self, *, parse_float: Callable[[str], Any] = Decimal) -> Any:
        """The body as JSON; numbers with a fraction become :class:`~decimal.Decimal` (money is no float)."""
        return json.loads(self.content, parse_float=parse_float)

    def header(self, name: str, default: str | None = None) -> str | None:
        """One header, case-insensitively."""
        return self.headers.get(name, default)


def detached_headers(headers: Mapping[str, str]) -> CaseInsensitiveDict[str]:
    """A private copy of response headers, so the response object can be released."""
    return CaseInsensitiveDict(dict(headers))
