"""Everything the order → invoice transform needs to know about one tenant's shop and Hogia company.

The context is plain frozen data so that the transform stays a pure function of (orders, context):
the same batch with the same context always gives the same drafts, the same quarantine and the same
payload hashes — which is what change detection and replays rely on.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from jetshop_hogia.apimodel.hogia_smart import RoundingMode
from jetshop_hogia.config.models import ChannelConfig, MatchOn  # the tenant configuration's own types

__all__ = [
    "DEFAULT_CURRENCIES",
    "ChannelConfig",
    "CustomerRule",
    "MappingContext",
    "MatchOn",
    "PluginSpec",
    "RoundingMode",
    "VatRounding",
]

DEFAULT_CURRENCIES = frozenset({"SEK", "NOK", "EUR", "DKK"})
STOCKHOLM = "Europe/Stockholm"


class VatRounding(enum.StrEnum):
    """Where Hogia rounds VAT to öre (MODEL: not public — kept switchable, see rounding.py).

    ``per_line`` (default, what ``apimodel.hogia_amounts.invoice_totals`` and so the simulator do):
    VAT = Σ round(line net × rate); the money rule (docs/MONEY.md) holds exactly. ``per_rate``:
    VAT = round(Σ line net of the rate × rate), as some ledgers compute the per-rate summary; the rule
    cannot always be met then (one rounding per rate leaves no freedom), totals stay within an öre.
    """

    PER_LINE = "per_line"
    PER_RATE = "per_rate"


@dataclass(frozen=True)
class CustomerRule:
    """How shop customers are found in Hogia, and whether unknown ones may be created."""

    match_on: MatchOn = MatchOn.EMAIL
    create_missing: bool = True

    def __post_init__(self) -> None:
        # accept the plain string "email" as well as the enum
        object.__setattr__(self, "match_on", MatchOn(self.match_on))


@dataclass(frozen=True)
class PluginSpec:
    """A mapping plugin: ``package.module:function`` (or a registered short name) plus its params."""

    path: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def parse(cls, raw: str | Mapping[str, Any]) -> PluginSpec:
        """Accept the tenant-YAML forms ``"name"`` and ``{"plugin": "name", "params": {...}}``."""
        if isinstance(raw, str):
            return cls(raw)
        path = raw.get("plugin") or raw.get("path")
        if not isinstance(path, str):
            raise ValueError(f"plugin entry {dict(raw)!r} has no 'plugin' path")
        return cls(path, MappingProxyType(dict(raw.get("params") or {})))


@dataclass(frozen=True)
class MappingContext:
    """One tenant + shop + Hogia company, as of the start of a transform run.

    ``existing_customers`` maps the match key (lower-cased e-mail, or the shop customer number) to the
    Hogia customer number. ``known_articles`` are the Hogia article numbers, helper articles included.
    ``rounding_currencies`` limits whole-krona rounding to some currencies; ``None`` applies the company
    setting to every invoice, which is what the MODEL says Hogia does.
    """

    tenant_id: str
    shop_id: str
    channels: Mapping[int, ChannelConfig]
    known_articles: frozenset[str]
    customer_rule: CustomerRule = CustomerRule()
    existing_customers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    allowed_currencies: frozenset[str] = DEFAULT_CURRENCIES
    payment_terms_days: int = 30
    rounding_mode: RoundingMode = RoundingMode.NONE
    vat_rounding: VatRounding = VatRounding.PER_LINE
    rounding_currencies: frozenset[str] | None = None
    our_reference: str | None = None
    sequence_id: str | None = None
    plugins: tuple[PluginSpec, ...] = ()
    timezone: str = STOCKHOLM

    def __post_init__(self) -> None:
        # plain strings or another module's enum (the tenant config) become ours, so comparisons hold
        object.__setattr__(self, "rounding_mode", RoundingMode(self.rounding_mode))
        object.__setattr__(self, "vat_rounding", VatRounding(self.vat_rounding))

    def rounds_whole_krona(self, currency: str) -> bool:
        """Whether Hogia rounds an invoice in ``currency`` to whole units."""
        if self.rounding_mode != RoundingMode.WHOLE_KRONA:
            return False
        return self.rounding_currencies is None or currency in self.rounding_currencies
