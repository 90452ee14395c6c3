"""Order → Hogia invoice mapping: pure, vectorised (pandas), Airflow-free.

``transform_orders(batch, context)`` turns one shop's Jetshop orders into ``InvoiceDraft``s (Hogia
``customerinvoices`` create body + customer action + expected totals + payload hash) and quarantines
every order that cannot be invoiced with all its reasons. ``resolve_customers`` /
``bind_customer_numbers`` then plan the contact creates (one per customer per batch) and fill in the
customer numbers. Money is integer öre inside the frames and Decimal outside; see ``allocation`` for
how a shop total incl. VAT becomes Hogia lines with ex-VAT prices without a 1-öre drift.
"""

from jetshop_hogia.mapping.context import (
    ChannelConfig,
    CustomerRule,
    MappingContext,
    MatchOn,
    PluginSpec,
    RoundingMode,
    VatRounding,
)
from jetshop_hogia.mapping.customers import (
    ContactToCreate,
    CustomerPlan,
    bind_customer_number,
    bind_customer_numbers,
    resolve_customers,
)
from jetshop_hogia.mapping.draft import (
    PENDING_CUSTOMER_NUMBER,
    CustomerCreate,
    CustomerMatch,
    InvoiceDraft,
    OrderKey,
    payload_hash,
)
from jetshop_hogia.mapping.plugin_chain import PluginLoadError, load_plugins
from jetshop_hogia.mapping.reasons import QuarantinedOrder, Reason, ReasonCode
from jetshop_hogia.mapping.rounding import ExpectedTotals, VatRateTotal, hogia_totals
from jetshop_hogia.mapping.transform import TransformResult, transform_orders

__all__ = [
    "PENDING_CUSTOMER_NUMBER",
    "ChannelConfig",
    "ContactToCreate",
    "CustomerCreate",
    "CustomerMatch",
    "CustomerPlan",
    "CustomerRule",
    "ExpectedTotals",
    "InvoiceDraft",
    "MappingContext",
    "MatchOn",
    "OrderKey",
    "PluginLoadError",
    "PluginSpec",
    "QuarantinedOrder",
    "Reason",
    "ReasonCode",
    "RoundingMode",
    "TransformResult",
    "VatRateTotal",
    "VatRounding",
    "bind_customer_number",
    "bind_customer_numbers",
    "hogia_totals",
    "load_plugins",
    "payload_hash",
    "resolve_customers",
    "transform_orders",
]
