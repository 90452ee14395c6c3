"""Rules across fields: what a tenant's plan and flow allow (seed: the package matrix and the three flows).

Kept apart from the schema so each rule can point at the field an operator has to change, and so the
stream rules can be checked against whatever streams are registered at DAG-build time without this
package importing the streams.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from jetshop_hogia.config.errors import Problem
from jetshop_hogia.config.models import Flow, HogiaStatus, Plan, TenantConfig


class Feature(enum.StrEnum):
    """A feature of the Sharespine package matrix that not every plan includes."""

    ORDER_STATUS = "order_status"
    STOCK = "stock"
    PRICE_LISTS = "price_lists"
    MULTISHOP = "multishop"
    MAPPING_PLUGINS = "mapping_plugins"


FEATURE_MIN_PLAN: Mapping[Feature, Plan] = {
    Feature.ORDER_STATUS: Plan.P200,
    Feature.STOCK: Plan.P200,
    Feature.PRICE_LISTS: Plan.P400,  # "Prisstrukturer"
    Feature.MULTISHOP: Plan.P400,  # "Multikoppling Webbutiker"; Jetshop channels are "native multishop"
    Feature.MAPPING_PLUGINS: Plan.P800,
}

FEEDBACK_FLOWS = frozenset({Flow.ERP_LED, Flow.COMBO})
"""Order status Hogia → Jetshop exists in these flows only (seed: "Orderstatus … Valbart")."""


@dataclass(frozen=True)
class StreamRequirements:
    """What one registered stream needs from a tenant: its flows, plan features and own config checks."""

    flows: frozenset[Flow]
    requires: frozenset[Feature] = frozenset()
    check: Callable[[TenantConfig], list[str]] = field(default=lambda _tenant: [])


StreamCatalog = Mapping[str, StreamRequirements]


def plan_allows(plan: Plan, feature: Feature) -> bool:
    """Whether ``plan`` includes ``feature``."""
    return plan >= FEATURE_MIN_PLAN[feature]


def check_rules(tenant: TenantConfig) -> list[Problem]:
    """Every plan/flow rule the tenant breaks (empty when it is consistent)."""
    return [*_multishop_problems(tenant), *_plugin_problems(tenant), *_feedback_problems(tenant)]


def check_streams(tenant: TenantConfig, catalog: StreamCatalog) -> list[Problem]:
    """Every enabled stream that is unknown, outside the tenant's flow or above its plan."""
    problems = []
    for index, name in enumerate(tenant.streams):
        where = f"streams[{index}]"
        requirements = catalog.get(name)
        if requirements is None:
            known = ", ".join(sorted(catalog)) or "none"
            problems.append(Problem(where, f"unknown stream {name!r}; registered streams: {known}"))
            continue
        if tenant.flow not in requirements.flows:
            flows = ", ".join(sorted(flow.value for flow in requirements.flows))
            problems.append(
                Problem(where, f"stream {name!r} is not part of flow {tenant.flow.value!r} (only: {flows})")
            )
        for feature in sorted(requirements.requires):
            if not plan_allows(tenant.plan, feature):
                problems.append(Problem(where, f"stream {name!r} {_needs(feature, tenant.plan)}"))
        problems += [Problem(where, f"stream {name!r}: {message}") for message in requirements.check(tenant)]
    return problems


def _needs(feature: Feature, plan: Plan) -> str:
    return (
        f"needs plan {FEATURE_MIN_PLAN[feature].value} or higher for '{feature.value}' (plan is {plan.value})"
    )


def _multishop_problems(tenant: TenantConfig) -> list[Problem]:
    if plan_allows(tenant.plan, Feature.MULTISHOP):
        return []
    if tenant.flow is Flow.COMBO:
        return [Problem("plan", f"flow 'combo' is multishop and {_needs(Feature.MULTISHOP, tenant.plan)}")]
    if len(tenant.shops) > 1 or tenant.channel_count > 1:
        what = f"{len(tenant.shops)} shop(s) with {tenant.channel_count} channels"
        return [
            Problem(
                "shops", f"{what} make the tenant multishop, which {_needs(Feature.MULTISHOP, tenant.plan)}"
            )
        ]
    return []


def _plugin_problems(tenant: TenantConfig) -> list[Problem]:
    if tenant.mapping_plugins and not plan_allows(tenant.plan, Feature.MAPPING_PLUGINS):
        return [
            Problem("mapping_plugins", f"mapping plugins: {_needs(Feature.MAPPING_PLUGINS, tenant.plan)}")
        ]
    return []


def _feedback_problems(tenant: TenantConfig) -> list[Problem]:
    feedback = tenant.order_status_feedback
    if feedback is None or not feedback.enabled:
        return []
    problems = []
    if tenant.flow not in FEEDBACK_FLOWS:
        problems.append(
            Problem(
                "order_status_feedback",
                f"order status Hogia → Jetshop is not part of flow {tenant.flow.value!r} "
                "(only erp_led and combo); remove the block or set enabled: false",
            )
        )
    if not plan_allows(tenant.plan, Feature.ORDER_STATUS):
        problems.append(
            Problem(
                "order_status_feedback", f"order status feedback {_needs(Feature.ORDER_STATUS, tenant.plan)}"
            )
        )
    if not feedback.statuses:
        names = ", ".join(status.value for status in HogiaStatus)
        problems.append(
            Problem("order_status_feedback.statuses", f"enabled but empty; map at least one of {names}")
        )
    for status, reaction in feedback.statuses.items():
        if reaction.capture_payment and status is not HogiaStatus.DELIVERED:
            problems.append(
                Problem(
                    f"order_status_feedback.statuses.{status.value}.capture_payment",
                    "payment can only be captured on 'delivered' (the provider captures when goods ship)",
                )
            )
    return problems
