"""Where the order stream keeps a run's data, and how it is written and read back exactly.

Every step reads what its predecessor wrote under the run's own directory (per tenant, per Airflow run):
a retried step sees the same input, a batch never travels through XCom, and an operator can open the
files of a failed run. Layout::

    orders/fetched/<shop>.json    raw Jetshop orders as read (JetshopOrder, JSON)
    orders/reference.json         the Hogia snapshot (articles, customer index, rounding mode)
    orders/drafts/<shop>.json     invoice drafts (lossless: mapping.draft_codec)
    orders/written.json           one line per order: outcome and invoice id
    orders/reconciled.json        the reconciliation summary and the orders that are not simply fine
"""

from __future__ import annotations

from typing import Any

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.mapping import InvoiceDraft
from jetshop_hogia.mapping.draft_codec import draft_from_dict, draft_to_dict
from jetshop_hogia.streams.orders.reference import HogiaReference

FETCHED = "orders/fetched/{shop}.json"
REFERENCE = "orders/reference.json"
DRAFTS = "orders/drafts/{shop}.json"
WRITTEN = "orders/written.json"
RECONCILED = "orders/reconciled.json"


def write_orders(run: StreamRun, shop_id: str, orders: tuple[JetshopOrder, ...]) -> str:
    """Store one shop's fetched orders; returns the file URI."""
    payload = {"shop_id": shop_id, "orders": [order.model_dump(mode="json") for order in orders]}
    return run.write_json(FETCHED.format(shop=shop_id), payload)


def read_orders(run: StreamRun, location: str) -> list[JetshopOrder]:
    """The orders :func:`write_orders` stored (validated again: the file may have been edited by hand)."""
    data = run.read_json(location)
    return [JetshopOrder.model_validate(item) for item in data["orders"]]


def write_reference(run: StreamRun, reference: HogiaReference) -> str:
    """Store the run's Hogia snapshot."""
    return run.write_json(REFERENCE, reference.to_dict())


def read_reference(run: StreamRun, location: str) -> HogiaReference:
    """The snapshot :func:`write_reference` stored."""
    return HogiaReference.from_dict(run.read_json(location))


def write_drafts(run: StreamRun, shop_id: str, drafts: tuple[InvoiceDraft, ...]) -> str:
    """Store one shop's drafts."""
    payload = {"shop_id": shop_id, "drafts": [draft_to_dict(draft) for draft in drafts]}
    return run.write_json(DRAFTS.format(shop=shop_id), payload)


def read_drafts(run: StreamRun, location: str) -> list[InvoiceDraft]:
    """The drafts :func:`write_drafts` stored."""
    data: dict[str, Any] = run.read_json(location)
    return [draft_from_dict(item) for item in data["drafts"]]
