"""The transform's output: an invoice draft per order, ready to POST once its customer is bound.

Bodies are plain dicts in Hogia's create shape (camelCase, Decimal money) so that they validate
against ``apimodel.hogia_smart`` and serialise without translation. Drafts are frozen; treat the dicts
inside as frozen too — plugins return a new draft (``with_body``) instead of mutating.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jetshop_hogia.keys import OrderKey as OrderKey  # the shared key (re-exported for drafts)
from jetshop_hogia.mapping.rounding import ExpectedTotals

PENDING_CUSTOMER_NUMBER = ""
"""``customerNumber`` of a draft whose customer is still to be created; Hogia rejects it, so an unbound
draft that slips through fails loudly instead of landing on a wrong customer."""


@dataclass(frozen=True)
class CustomerMatch:
    """The order's customer exists in Hogia under ``number``."""

    number: str


@dataclass(frozen=True)
class CustomerCreate:
    """The order's customer must be created first; ``contact`` is the ``contacts`` create body."""

    contact: Mapping[str, Any]


CustomerAction = CustomerMatch | CustomerCreate


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def payload_hash(body: Mapping[str, Any], customer_key: str) -> str:
    """SHA-256 of the create body in canonical JSON, with ``customerNumber`` replaced by the customer's
    match key: binding the number later (or the customer existing on a later run) does not change it,
    any change to what would be invoiced does."""
    invoice = {**body["customerInvoice"], "customerNumber": f"customer:{customer_key}"}
    text = json.dumps(
        {**body, "customerInvoice": invoice}, sort_keys=True, separators=(",", ":"), default=_canonical
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class InvoiceDraft:
    """One order turned into a Hogia invoice create body plus what Hogia should compute for it."""

    key: OrderKey
    order_id: int
    customer_key: str
    customer: CustomerAction
    body: Mapping[str, Any]
    expected: ExpectedTotals
    order_total: Decimal
    payload_hash: str

    @property
    def is_bound(self) -> bool:
        """Whether ``customerNumber`` holds a real Hogia customer number."""
        return bool(self.body["customerInvoice"]["customerNumber"] != PENDING_CUSTOMER_NUMBER)

    @property
    def invoice(self) -> Mapping[str, Any]:
        """The ``customerInvoice`` header of the body."""
        return self.body["customerInvoice"]  # type: ignore[no-any-return]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The ``invoiceLines`` of the body."""
        return self.body["invoiceLines"]  # type: ignore[no-any-return]

    def with_body(self, body: Mapping[str, Any]) -> InvoiceDraft:
        """A copy with another body; totals and hash are refreshed by the plugin chain afterwards."""
        return dataclasses.replace(self, body=body)

    def with_invoice(self, **changes: Any) -> InvoiceDraft:
        """A copy with header fields changed (``yourReference="…"``)."""
        return self.with_body({**self.body, "customerInvoice": {**self.invoice, **changes}})

    def with_lines(self, lines: list[dict[str, Any]]) -> InvoiceDraft:
        """A copy with other invoice lines."""
        return self.with_body({**self.body, "invoiceLines": lines})
