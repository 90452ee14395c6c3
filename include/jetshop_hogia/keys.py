"""The order's identity, shared by the mapping (drafts) and the state store (ledger rows).

One type for both so a draft's key *is* the ledger key: no conversion at the seam, no second
definition drifting apart. A ``NamedTuple`` because drafts serialise it as a plain list and callers
unpack it; the ordering, ``str`` form and idempotency key are what the ledger needs.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d8a52-3c0e-4b8e-9d55-2a7f4c1e9b30")


class OrderKey(NamedTuple):
    """Identifies one order across runs: order numbers are unique per shop, shops belong to one tenant."""

    tenant_id: str
    shop_id: str
    order_number: str

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.shop_id}/{self.order_number}"

    @property
    def idempotency_key(self) -> str:
        """Deterministic key of this order's push: every retry, backfill or rerun derives the same one.

        A UUIDv5 of the key, so it fits fields that expect a GUID-like reference and reveals nothing.
        """
        return str(
            uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{self.tenant_id}\x1f{self.shop_id}\x1f{self.order_number}")
        )
