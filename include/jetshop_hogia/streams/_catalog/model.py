"""The units the catalog streams move: an item (one article for one scope), a scope's plan, an outcome.

A *scope* is where items are written: a Jetshop shop id for Hogia → Jetshop streams, ``*`` for Hogia.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOGIA_SCOPE = "*"


@dataclass(frozen=True)
class Item:
    """One thing to write: its key (article number), the payload sent, and (stock) its source version."""

    key: str
    payload: dict[str, Any]
    version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the run files."""
        return {"key": self.key, "payload": self.payload, "version": self.version}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Item:
        """Back from the run files."""
        return cls(raw["key"], raw["payload"], raw.get("version"))


@dataclass(frozen=True)
class Problem:
    """An item that is not written this run, with a reason code and a text a human can act on."""

    key: str
    code: str
    text: str


@dataclass
class ScopePlan:
    """Everything the source says about one scope: items, problems, ignored keys and notes for the log."""

    scope: str
    items: list[Item] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    """The scope's source could not be read: nothing planned, reported as a failed scope by write."""


@dataclass(frozen=True)
class Outcome:
    """What the target said about one sent item: ``problem`` None means confirmed."""

    key: str
    problem: str | None = None
    code: str = "refused"

    @property
    def ok(self) -> bool:
        """The target confirmed the item."""
        return self.problem is None
