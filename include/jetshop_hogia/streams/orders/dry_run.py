"""The order stream's dry write: the invoices (and customers) a real write would create, nothing sent.

Transform already left out orders the ledger has settled; this looks each remaining order up in Hogia by
its invoice reference (read only) so the diff says whether the target already holds an invoice for it —
then the real run's look-up would find it instead of creating one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoiceCreate
from jetshop_hogia.kernel.dry_run import WouldBe
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams.orders import files
from jetshop_hogia.streams.orders.pushing import find_invoices
from jetshop_hogia.streams.orders.writing import invoice_ref


def dry_write(run: StreamRun, transformed: dict[str, Any]) -> list[WouldBe]:
    """One ``create_invoice`` (or ``already_in_hogia``) per draft, ``create_customer`` for unbound ones."""
    writes: list[WouldBe] = []
    if not transformed.get("reference"):
        return writes
    hogia = run.resources.hogia()
    for shop_id, info in transformed["shops"].items():
        for draft in files.read_drafts(run, info["path"]):
            number = draft.key.order_number
            if not draft.is_bound:
                customer = dataclasses.asdict(draft.customer)
                writes.append(WouldBe("create_customer", number, customer, scope=shop_id))
            existing = [invoice.id for invoice in find_invoices(hogia, invoice_ref(draft, run.tenant))]
            action = "already_in_hogia" if existing else "create_invoice"
            diff = {"hogia_invoices": {"target": existing, "would_be": existing or ["new"]}}
            writes.append(WouldBe(action, number, _wire(draft.body), diff, scope=shop_id))
    return writes


def _wire(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body as the hook would put it on the wire (the draft file's own form if it does not fit the model:
    the real write would quarantine it, which the diff then shows as the same create)."""
    try:
        model = CustomerInvoiceCreate.model_validate(dict(body))
    except ValidationError:
        return dict(body)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)
