"""Drift: how the target differs from what the source says it should hold, item by item.

Both sides are reduced to *views* first — small dicts of comparable values per item key (a price as
the Decimal Jetshop stores, a stock count as an int) — so one comparison serves every stream and a
50,000-item compare is a dictionary walk.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

View = Mapping[str, Any]


class DriftKind(enum.StrEnum):
    """How one item drifted."""

    MISSING_IN_TARGET = "missing_in_target"
    MISSING_IN_SOURCE = "missing_in_source"
    DIFFERS = "differs"


@dataclass(frozen=True)
class Drift:
    """One drifted item: what kind, and for ``differs`` the fields with (expected, actual)."""

    key: str
    kind: DriftKind
    fields: tuple[tuple[str, str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the reconcile report."""
        return {
            "key": self.key,
            "kind": self.kind.value,
            "fields": [{"field": f, "expected": e, "actual": a} for f, e, a in self.fields],
        }


@dataclass
class DriftReport:
    """The outcome of comparing a set of items."""

    compared: int = 0
    matched: int = 0
    drifts: list[Drift] = field(default_factory=list)

    def count(self, kind: DriftKind) -> int:
        """How many items drifted in this way."""
        return sum(1 for drift in self.drifts if drift.kind is kind)


def compare_views(
    expected: Mapping[str, View],
    actual: Mapping[str, View],
    keys: Iterable[str] | None = None,
    *,
    report_extra: bool = False,
) -> DriftReport:
    """Compare ``expected`` against ``actual`` for ``keys`` (default: every expected key).

    A field missing from the actual view counts as different; ``report_extra`` also names items the
    target has and the source does not (only meaningful for a full compare).
    """
    report = DriftReport()
    for key in expected if keys is None else keys:
        want = expected.get(key)
        if want is None:
            continue
        report.compared += 1
        have = actual.get(key)
        if have is None:
            report.drifts.append(Drift(key, DriftKind.MISSING_IN_TARGET))
            continue
        differing = tuple(
            (name, str(value), str(have.get(name))) for name, value in want.items() if have.get(name) != value
        )
        if differing:
            report.drifts.append(Drift(key, DriftKind.DIFFERS, differing))
        else:
            report.matched += 1
    if report_extra:
        report.drifts.extend(Drift(key, DriftKind.MISSING_IN_SOURCE) for key in actual if key not in expected)
    return report
