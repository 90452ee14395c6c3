"""Per-tenant mapping plugins: load them by dotted path, run them in declared order, contain failures.

A plugin is a pure function ``(draft, params, context) -> draft`` named in the tenant configuration
as ``package.module:function`` or by a short name from ``REGISTRY``. Plugins run after validation, on
each draft, in the order declared — order matters and is kept. A plugin that raises quarantines only
that order (``plugin_failed``); a plugin that returns a draft Hogia would reject or that no longer adds
up to the order total is caught by ``recheck`` (``plugin_invalid_draft``). Loading errors are
configuration errors and raise at once: a tenant with a broken plugin list transfers nothing.

A plugin that renames articles may expose ``article_map(params) -> Mapping[str, str]`` so that the
vectorised ``unknown_article`` check looks up the Hogia numbers it will produce.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from jetshop_hogia.mapping.context import MappingContext, PluginSpec, VatRounding
from jetshop_hogia.mapping.draft import InvoiceDraft, payload_hash
from jetshop_hogia.mapping.reasons import Reason, ReasonCode
from jetshop_hogia.mapping.rounding import ExpectedTotals, hogia_totals
from jetshop_hogia.vat import percents_on

TOLERANCE = Decimal("0.01")
REGISTRY: dict[str, str] = {
    "prefix_order_reference": "jetshop_hogia.mapping.plugins.references:prefix_order_reference",
    "map_article_numbers": "jetshop_hogia.mapping.plugins.articles:map_article_numbers",
}
"""Short names usable in tenant configs instead of the dotted path."""


class MappingPlugin(Protocol):
    """The plugin contract."""

    def __call__(
        self, draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
    ) -> InvoiceDraft: ...


class PluginLoadError(ValueError):
    """A declared plugin cannot be imported or is not callable (a configuration error)."""


@dataclass(frozen=True)
class LoadedPlugin:
    """A plugin ready to run, with the name it was declared under."""

    name: str
    function: MappingPlugin
    params: Mapping[str, Any]

    def article_map(self) -> Mapping[str, str]:
        """The article renames this plugin declares (empty when it declares none)."""
        declare: Callable[[Mapping[str, Any]], Mapping[str, str]] | None = getattr(
            self.function, "article_map", None
        )
        return declare(self.params) if declare is not None else {}


def resolve_plugin(name: str) -> MappingPlugin:
    """Import ``package.module:function`` (or a ``REGISTRY`` short name)."""
    path = REGISTRY.get(name, name)
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise PluginLoadError(f"plugin {name!r} is neither a registered name nor 'package.module:function'")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise PluginLoadError(f"plugin {name!r} cannot be loaded: {exc}") from exc
    if not callable(function):
        raise PluginLoadError(f"plugin {name!r} is not callable")
    return function  # type: ignore[no-any-return]


def load_plugins(specs: Sequence[PluginSpec]) -> tuple[LoadedPlugin, ...]:
    """Resolve every declared plugin, in order; raises ``PluginLoadError`` on the first bad one."""
    return tuple(LoadedPlugin(spec.path, resolve_plugin(spec.path), spec.params) for spec in specs)


def recheck(draft: InvoiceDraft, before: InvoiceDraft, context: MappingContext) -> list[Reason]:
    """What is wrong with a plugin's output that Hogia or reconciliation would trip over."""
    problems: list[str] = []
    invoice = draft.invoice
    if draft.key != before.key or draft.customer_key != before.customer_key:
        problems.append("the order key or customer key was changed")
    if invoice.get("customerOrderNumber") != draft.key.order_number:
        problems.append(
            f"customerOrderNumber must stay {draft.key.order_number} (it finds the invoice again)"
        )
    if invoice.get("currency") != before.invoice["currency"]:
        problems.append("the currency was changed")
    rates = percents_on(date.fromisoformat(invoice["invoiceDate"]))
    for number, line in enumerate(draft.lines, start=1):
        if line.get("lineType") not in ("article", "text"):
            problems.append(f"line {number} has line type {line.get('lineType')!r}")
        elif line.get("lineType") == "article":
            if line.get("articleNumber") not in context.known_articles:
                problems.append(f"line {number}: article {line.get('articleNumber')} is not in Hogia")
            if line.get("vatPercent") not in rates:
                problems.append(
                    f"line {number}: VAT {line.get('vatPercent')} % is not valid on {invoice['invoiceDate']}"
                )
            if not line.get("quantity"):
                problems.append(f"line {number}: quantity is zero")
    if not problems:
        expected = _totals(draft, context)
        # the money rule: to the öre (per_rate VAT rounding cannot always meet it: 1 öre is tolerated)
        tolerance = TOLERANCE if context.vat_rounding == VatRounding.PER_RATE else Decimal(0)
        if abs(expected.gross_before_rounding - draft.order_total) > tolerance:
            problems.append(
                f"the lines add up to {expected.gross_before_rounding} {expected.currency}, "
                f"order total is {draft.order_total} {expected.currency}"
            )
    return [Reason(ReasonCode.PLUGIN_INVALID_DRAFT, f"after plugins: {problem}") for problem in problems]


def _totals(draft: InvoiceDraft, context: MappingContext) -> ExpectedTotals:
    currency = draft.invoice["currency"]["code"]
    return hogia_totals(
        draft.lines,
        currency=currency,
        whole_krona=context.rounds_whole_krona(currency),
        vat_rounding=context.vat_rounding,
    )


def run_plugins(
    draft: InvoiceDraft, plugins: Sequence[LoadedPlugin], context: MappingContext
) -> tuple[InvoiceDraft | None, list[Reason]]:
    """Run the chain on one draft: the refreshed draft, or None and the reasons to quarantine it."""
    if not plugins:
        return draft, []
    current = dataclasses.replace(draft, body=copy.deepcopy(dict(draft.body)))
    for plugin in plugins:
        try:
            result = plugin.function(current, plugin.params, context)
        except Exception as exc:  # a tenant's plugin must never stop the batch
            return None, [Reason(ReasonCode.PLUGIN_FAILED, f"{plugin.name}: {type(exc).__name__}: {exc}")]
        if not isinstance(result, InvoiceDraft):
            return None, [
                Reason(
                    ReasonCode.PLUGIN_FAILED, f"{plugin.name}: returned {type(result).__name__}, not a draft"
                )
            ]
        current = result
    problems = recheck(current, draft, context)
    if problems:
        return None, problems
    refreshed = dataclasses.replace(
        current,
        expected=_totals(current, context),
        payload_hash=payload_hash(current.body, current.customer_key),
    )
    return refreshed, []
