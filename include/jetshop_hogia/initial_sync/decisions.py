"""Match articles by number and decide, per article, what the initial sync does with it.

Pure: views in, decisions out. A *view* is the small comparable dict the catalog streams already use
for reconciliation (``expected_view`` of a payload, ``read_target`` of the target), so "different data"
means exactly what the streams' drift check means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jetshop_hogia.initial_sync.options import ConflictPolicy

CREATE, MATCH, CONFLICT, FAILED = "create", "match", "conflict", "failed"


@dataclass(frozen=True)
class Decision:
    """What the plan found for one article: create it, it matches, it conflicts, or it cannot be sent."""

    kind: str
    detail: str | None = None


def decide(expected: Mapping[str, Any], actual: Mapping[str, Any] | None) -> Decision:
    """Compare one article's expected view with the target's (None: the target lacks it)."""
    if actual is None:
        return Decision(CREATE)
    differing = sorted(name for name, value in expected.items() if actual.get(name) != value)
    if not differing:
        return Decision(MATCH)
    return Decision(CONFLICT, "differs in " + ", ".join(differing))


def resolve(decision: Decision, policy: ConflictPolicy) -> str:
    """The outcome of a decision under the conflict policy, before anything is sent.

    Returns ``send`` for what must be written (new articles, conflicts to overwrite), else the final
    outcome name of :mod:`jetshop_hogia.initial_sync.report`.
    """
    if decision.kind == CREATE:
        return "send"
    if decision.kind == MATCH:
        return "matched"
    if decision.kind == FAILED:
        return "failed"
    if policy is ConflictPolicy.OVERWRITE:
        return "send"
    return "skipped" if policy is ConflictPolicy.SKIP else "conflicting"


def sent_outcome(decision: Decision) -> str:
    """What a confirmed write counts as: a new article is created, an overwritten conflict updated."""
    return "created" if decision.kind == CREATE else "updated"


BINDS = frozenset({"matched", "skipped", "created", "updated"})
"""Outcomes that leave a catalog_sync binding (the scheduled stream starts from it): a matched or
written article, and a skipped conflict (the stream sends it once its source changes). A reported
conflict stays unbound so nobody's data is overwritten silently."""
