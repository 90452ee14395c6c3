"""Transform: each event and cancellation becomes a planned action, or is quarantined/ignored with reason.

An event is resolved through the order ledger (invoice id → order): an event for an invoice the ledger
does not know is quarantined with its reason (``unknown_order``), never matched by guesswork such as the
order number text. Events the tenant maps to nothing are ignored and counted. Records in = planned +
quarantined + ignored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.state import TENANT_WIDE, OrderKey, StateStore
from jetshop_hogia.state.order_status import ORDER_STATUS_STREAM
from jetshop_hogia.streams.order_status.quiet import CustomerEffects
from jetshop_hogia.streams.order_status.status_map import jetshop_reaction

UNKNOWN_ORDER = "unknown_order"
NO_SHOP_ORDER_ID = "no_shop_order_id"


@dataclass(frozen=True)
class PlannedAction:
    """One action for the write step (JSON-ready through :func:`dataclasses.asdict`)."""

    action_key: str
    kind: str
    shop_id: str
    order_number: str
    jetshop_order_id: int
    invoice_id: str | None
    status_id: int | None = None
    send_mail: bool = False
    tracking_number: str | None = None
    capture: bool = False


@dataclass
class Plan:
    """What transform decided, with the counts that must add up."""

    actions: list[PlannedAction] = field(default_factory=list)
    quarantined: int = 0
    ignored: int = 0
    suppressed_mail: int = 0
    suppressed_capture: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "planned": len(self.actions),
            "quarantined": self.quarantined,
            "ignored": self.ignored,
            "suppressed_mail": self.suppressed_mail,
            "suppressed_capture": self.suppressed_capture,
        }

    def actions_json(self) -> list[dict[str, Any]]:
        return [asdict(action) for action in self.actions]


def event_key(event: dict[str, Any]) -> str:
    """The ledger key of a Hogia event (event ids run per company; a tenant has one company)."""
    return f"event:{event['eventId']}"


def cancel_key(shop_id: str, order_number: str) -> str:
    """The ledger key of a shop cancellation (one per order: a cancellation is final)."""
    return f"shop-cancel:{shop_id}:{order_number}"


def plan_events(
    tenant: TenantConfig,
    events: list[dict[str, Any]],
    store: StateStore,
    effects: CustomerEffects,
    run_id: str,
    cancelled_in_shop: frozenset[tuple[str, str]] = frozenset(),
) -> Plan:
    """Map each event through the tenant's table; resolve its order through the ledger.

    An order cancelled in the shop (this window, or handled as a cancellation before) keeps its
    cancelled status: a Hogia event other than ``cancelled`` is ignored for it, never moving it back.
    """
    plan = Plan()
    for event in events:
        reaction = jetshop_reaction(tenant, str(event["kind"]), event.get("trackingNumber"))
        if reaction is None:
            plan.ignored += 1
            continue
        resolved = _resolve(tenant, event, store, run_id)
        if resolved is None:
            plan.quarantined += 1
            continue
        key, order_id = resolved
        if event["kind"] != "cancelled" and _cancelled(store, key, cancelled_in_shop):
            plan.ignored += 1
            continue
        plan.suppressed_mail += int(reaction.send_mail and not effects.mail)
        plan.suppressed_capture += int(reaction.capture and not effects.capture)
        plan.actions.append(
            PlannedAction(
                action_key=event_key(event),
                kind=str(event["kind"]),
                shop_id=key.shop_id,
                order_number=key.order_number,
                jetshop_order_id=order_id,
                invoice_id=str(event["invoiceId"]),
                status_id=reaction.status_id,
                send_mail=reaction.send_mail and effects.mail,
                tracking_number=reaction.tracking_number,
                capture=reaction.capture and effects.capture,
            )
        )
    return plan


def _cancelled(store: StateStore, key: OrderKey, cancelled_in_shop: frozenset[tuple[str, str]]) -> bool:
    if (key.shop_id, key.order_number) in cancelled_in_shop:
        return True
    with store.transaction() as tx:
        return tx.order_status.get(key.tenant_id, cancel_key(key.shop_id, key.order_number)) is not None


def _resolve(
    tenant: TenantConfig, event: dict[str, Any], store: StateStore, run_id: str
) -> tuple[OrderKey, int] | None:
    """The event's order and Jetshop order id from the ledger; None after quarantining the event."""
    invoice = f"invoice #{event.get('invoiceNumber')} (id {event.get('invoiceId')})"
    with store.transaction() as tx:
        found = tx.order_status.order_for_invoice(tenant.tenant_id, str(event["invoiceId"]))
        if found is not None and found[1] is not None:
            return found[0], found[1]
        if found is None:
            code, text = (
                UNKNOWN_ORDER,
                f"Hogia event {event.get('kind')} for {invoice}: no order in the ledger has it",
            )
        else:
            code, text = (
                NO_SHOP_ORDER_ID,
                f"the ledger knows the order of {invoice} but not its Jetshop order id",
            )
        tx.quarantine.put(
            tenant.tenant_id,
            ORDER_STATUS_STREAM,
            event_key(event),
            code,
            text,
            shop_id=TENANT_WIDE,
            payload={k: event.get(k) for k in ("eventId", "invoiceId", "invoiceNumber", "kind")},
            run_id=run_id,
        )
    return None


def plan_cancellations(tenant: TenantConfig, cancellations: list[dict[str, Any]], store: StateStore) -> Plan:
    """A cancelled shop order with an invoice in the ledger gets a cancel-or-credit action; one never
    invoiced needs nothing in Hogia and is ignored (counted)."""
    plan = Plan()
    for item in cancellations:
        with store.transaction() as tx:
            record = tx.ledger.get(OrderKey(tenant.tenant_id, item["shop_id"], item["order_number"]))
        if record is None or record.hogia_invoice_id is None:
            plan.ignored += 1
            continue
        plan.actions.append(
            PlannedAction(
                action_key=cancel_key(item["shop_id"], item["order_number"]),
                kind="shop_cancel",
                shop_id=item["shop_id"],
                order_number=item["order_number"],
                jetshop_order_id=int(item["order_id"]),
                invoice_id=record.hogia_invoice_id,
            )
        )
    return plan
