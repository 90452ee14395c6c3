"""Restrict a catalog run to some items: the run param ``only_keys``, applied by ``steps.transform``.

A re-drive of quarantined items (:mod:`jetshop_hogia.operations.redrive_catalog`) must read the whole
source (a fixed product may have changed long before the window) but send *only* the quarantined items:
everything else of the catalog is the scheduled runs' business. So the transform step keeps, per scope,
only the planned items, quarantine problems and ignored keys the param names, and drops scopes it does not
name. Nothing else changes: the kept items still go through the delta against the confirmed hashes, the
quarantine and the write loop exactly as in a scheduled run.

The param is ``{scope: [item keys]}`` (JSON: ``{"*": ["1001-2"], "alpha": ["1001-2@<price list>"]}``).
Without it a run is not restricted. An ignored key is kept when it is a named key or the article of one
(:meth:`CatalogStream.article_of`): prices ignore a whole article, but quarantine its rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.base import CatalogStream
from jetshop_hogia.streams._catalog.model import ScopePlan

ONLY_KEYS_PARAM = "only_keys"


def only_keys(run: StreamRun) -> dict[str, set[str]] | None:
    """The run param ``only_keys`` as ``{scope: {keys}}``; None when the run is not restricted."""
    raw: Any = run.params.get(ONLY_KEYS_PARAM)
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not all(
        isinstance(keys, list | tuple | set | frozenset) for keys in raw.values()
    ):
        raise ValueError(f"run param {ONLY_KEYS_PARAM} must map each scope to a list of item keys")
    return {str(scope): {str(key) for key in keys} for scope, keys in raw.items()}


def restrict(stream: CatalogStream, plan: ScopePlan, wanted: set[str]) -> ScopePlan:
    """``plan`` with only the items, problems and notes of ``wanted`` keys (the source error is kept)."""
    articles = {stream.article_of(key) for key in wanted}
    return ScopePlan(
        plan.scope,
        items=[item for item in plan.items if item.key in wanted],
        quarantined=[problem for problem in plan.quarantined if problem.key in wanted],
        ignored=[problem for problem in plan.ignored if problem.key in wanted or problem.key in articles],
        notes=[note for note in plan.notes if note.partition(":")[0] in wanted],
        error=plan.error,
    )
