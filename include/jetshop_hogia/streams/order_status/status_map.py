"""The status rule: which Jetshop reaction a Hogia invoice event gets, from the tenant's table."""

from __future__ import annotations

from dataclasses import dataclass

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.config.models import HogiaStatus


@dataclass(frozen=True)
class Reaction:
    """What the shop is told for one event, before the quiet rule and the capture-once rule."""

    status_id: int
    send_mail: bool
    tracking_number: str | None
    capture: bool


def jetshop_reaction(tenant: TenantConfig, kind: str, tracking_number: str | None) -> Reaction | None:
    """The tenant's reaction to a Hogia event ``kind`` (delivered/invoiced/paid/cancelled); None when the
    tenant maps nothing for it (the event is then ignored, and counted as such).

    The tracking number goes along only when the tenant asked for it (``send_tracking``); a capture only
    on ``delivered`` (the configuration rules refuse it elsewhere, this function re-checks).
    """
    feedback = tenant.order_status_feedback
    if feedback is None or not feedback.enabled:
        return None
    try:
        status = HogiaStatus(kind)
    except ValueError:
        return None
    reaction = feedback.statuses.get(status)
    if reaction is None:
        return None
    return Reaction(
        status_id=reaction.jetshop_status_id,
        send_mail=reaction.send_mail,
        tracking_number=tracking_number if reaction.send_tracking else None,
        capture=reaction.capture_payment and status is HogiaStatus.DELIVERED,
    )


def cancelled_status_id(tenant: TenantConfig, default: int = 6) -> int:
    """The Jetshop status id that means "cancelled in the shop" for this tenant (the ``cancelled``
    reaction's id, else the simulator model's 6)."""
    feedback = tenant.order_status_feedback
    reaction = feedback.statuses.get(HogiaStatus.CANCELLED) if feedback is not None else None
    return reaction.jetshop_status_id if reaction is not None else default
