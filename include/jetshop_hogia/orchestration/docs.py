"""The Markdown shown on a tenant's DAG page: what this DAG syncs, for whom, how often, through what.

Operators open a failing DAG in the UI without the YAML at hand; the page must answer "which shops,
which company, which statuses trigger, which pools" by itself. Only connection *ids* appear, never secrets.
"""

from __future__ import annotations

from collections.abc import Mapping

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.kernel.stream import STEPS, Stream
from jetshop_hogia.orchestration.pools import pool_for_step

_FLOW_TEXT = {
    "shop_led": "Jetshop leads (orders and products Jetshop → Hogia)",
    "erp_led": "Hogia leads (orders Jetshop → Hogia; products, prices, stock, order status Hogia → Jetshop)",
    "combo": "combo (articles Jetshop → Hogia; prices and stock Hogia → Jetshop; orders Jetshop → Hogia)",
}


def tenant_doc_md(tenant: TenantConfig, streams: Mapping[str, type[Stream]]) -> str:
    """The DAG's ``doc_md``."""
    lines = [
        f"# {tenant.name or tenant.tenant_id}",
        "",
        f"Tenant `{tenant.tenant_id}` · flow **{tenant.flow.value}** — {_FLOW_TEXT[tenant.flow.value]} · "
        f"plan {tenant.plan.value}",
        "",
        f"Schedule `{tenant.schedule}` in **{tenant.timezone}**: each run owns the window "
        "[data interval start, data interval end). A manual run without a logical date takes the "
        "`window_start`/`window_end` params, or else the last complete interval.",
        "",
        "## Shops and channels",
        "",
        "| shop | connection | channel | currency | price list | tag |",
        "|---|---|---|---|---|---|",
    ]
    for shop in tenant.shops:
        for channel in shop.channels:
            lines.append(
                f"| {shop.id} | `{shop.connection_id}` | {channel.channel_id} | {channel.currency} | "
                f"{channel.price_list or '–'} | {channel.tag or '–'} |"
            )
    statuses = ", ".join(str(status) for status in tenant.order_trigger_statuses)
    matching = tenant.customer_matching
    lines += [
        "",
        f"Hogia Smart company: connection `{tenant.hogia.connection_id}`.",
        "",
        f"Orders are sent to Hogia when their Jetshop status id is one of: **{statuses}**. "
        f"Customers are matched by {matching.match_on.value} "
        f"({'created' if matching.create_missing else 'not created'} when missing).",
        "",
        *_feedback_lines(tenant),
        "## Streams",
        "",
        "| stream | direction | fetch pool | write/reconcile pool | description |",
        "|---|---|---|---|---|",
    ]
    for name, stream in streams.items():
        fetch_pool = pool_for_step(tenant.tenant_id, stream.direction, STEPS[0])
        write_pool = pool_for_step(tenant.tenant_id, stream.direction, "write")
        lines.append(
            f"| {name} | {stream.direction.source} → {stream.direction.target} | `{fetch_pool}` | "
            f"`{write_pool}` | {stream.description or '–'} |"
        )
    lines += _absent_lines(tenant, streams)
    if tenant.mapping_plugins:
        lines += [
            "",
            "Mapping plugins, in order: " + ", ".join(f"`{p.plugin}`" for p in tenant.mapping_plugins),
        ]
    return "\n".join(lines) + "\n"


def _absent_lines(tenant: TenantConfig, streams: Mapping[str, type[Stream]]) -> list[str]:
    """Registered streams of the tenant's flow that this DAG does not run, and why (plan or choice)."""
    from jetshop_hogia.config import FEATURE_MIN_PLAN, plan_allows
    from jetshop_hogia.kernel import REGISTRY

    rows = []
    for name, stream in REGISTRY.streams().items():
        if name in streams or tenant.flow not in stream.flows:
            continue
        gates = [f for f in sorted(stream.requires) if not plan_allows(tenant.plan, f)]
        why = "; ".join(
            f"needs plan {FEATURE_MIN_PLAN[f].value} for '{f.value}' (plan is {tenant.plan.value})"
            for f in gates
        )
        rows.append(f"| {name} | {why or 'not enabled in the tenant file'} |")
    if not rows:
        return []
    return ["", "## Streams not in this DAG", "", "| stream | why |", "|---|---|", *rows]


def _feedback_lines(tenant: TenantConfig) -> list[str]:
    feedback = tenant.order_status_feedback
    if feedback is None or not feedback.enabled:
        return ["Order status feedback Hogia → Jetshop: off.", ""]
    lines = [
        "Order status feedback Hogia → Jetshop:",
        "",
        "| Hogia | Jetshop status id | mail | tracking | capture |",
        "|---|---|---|---|---|",
    ]
    for status, reaction in feedback.statuses.items():
        lines.append(
            f"| {status.value} | {reaction.jetshop_status_id} | {_yes(reaction.send_mail)} | "
            f"{_yes(reaction.send_tracking)} | {_yes(reaction.capture_payment)} |"
        )
    return [*lines, ""]


def _yes(flag: bool) -> str:
    return "yes" if flag else "–"
