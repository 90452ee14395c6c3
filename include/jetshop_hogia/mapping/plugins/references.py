"""Plugin: put a fixed prefix in front of the invoice's reference fields.

Merchants with several shops in one Hogia company use it to see at a glance where an invoice came
from ("WEB-Åsa Öberg"). ``customerOrderNumber`` is refused: it is the key that finds the invoice again
before any retry, so changing it would let a retry create a duplicate invoice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jetshop_hogia.mapping.context import MappingContext
from jetshop_hogia.mapping.draft import InvoiceDraft

REFERENCE_FIELDS = frozenset({"yourReference", "ourReference"})


def prefix_order_reference(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Params: ``prefix`` (text), ``fields`` (default both ``yourReference`` and ``ourReference``).

    An absent field is set to the prefix alone, so the marker is there even without a reference.
    """
    prefix = str(params["prefix"])
    fields = tuple(params.get("fields", sorted(REFERENCE_FIELDS)))
    refused = set(fields) - REFERENCE_FIELDS
    if refused:
        raise ValueError(f"only {sorted(REFERENCE_FIELDS)} may be prefixed, not {sorted(refused)}")
    return draft.with_invoice(**{field: prefix + (draft.invoice.get(field) or "") for field in fields})
