"""Listing a period's customer invoices in a few pages, for reconciliation.

Reconciliation has to see every invoice of a run window. One look-up per order would spend one rate-limited
call per order (25 per 5 s); the list filter ``invoiceDateFrom``/``invoiceDateTo`` (inclusive dates, MODEL)
returns them 500 to a page instead. A function over the hook rather than a hook method, so this module can
be added without touching the invoice mixin another change owns.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from jetshop_hogia.apimodel.hogia_smart import MAX_PAGE_SIZE, CustomerInvoice
from jetshop_hogia_provider.hooks.hogia_rest import HogiaRestCalls, parse_model

OPERATION = "customerinvoices.list"


def iter_invoices_by_date(
    hook: HogiaRestCalls, date_from: date, date_to: date, *, page_size: int = MAX_PAGE_SIZE
) -> Iterator[CustomerInvoice]:
    """Every invoice whose ``invoiceDate`` lies in ``[date_from, date_to]`` (both inclusive), in pages.

    The list is read page by page while it may change (an invoice created meanwhile can shift a page);
    callers that need certainty for one order look it up by ``customerOrderNumber`` as well.
    """
    if date_to < date_from:
        raise ValueError(f"date_to {date_to} is before date_from {date_from}")
    params = {"invoiceDateFrom": date_from.isoformat(), "invoiceDateTo": date_to.isoformat()}
    for page in hook.iter_pages("customerinvoices", params=params, page_size=page_size, operation=OPERATION):
        for item in page:
            yield parse_model(CustomerInvoice, item, operation=OPERATION)
