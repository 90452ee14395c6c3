"""Exceptions raised by the state store.

Every refusal the store makes is a distinct type so that a stream can react precisely (retry later,
alert, quarantine) instead of parsing messages; each message names the record so a log line is enough
to find it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jetshop_hogia.state.records import OrderKey
    from jetshop_hogia.state.transitions import OrderState


class StateStoreError(Exception):
    """Base class of every error the state store raises on purpose."""


class OrderNotFoundError(StateStoreError):
    """The ledger has no row for this order (it was never recorded as seen)."""

    def __init__(self, key: OrderKey) -> None:
        super().__init__(f"order {key} is not in the ledger; record it as seen first")
        self.key = key


class IllegalTransitionError(StateStoreError):
    """The requested state change is not allowed from the order's current state."""

    def __init__(self, key: OrderKey, current: OrderState, target: OrderState, operation: str) -> None:
        super().__init__(f"{operation}: order {key} cannot move from {current.value!r} to {target.value!r}")
        self.key = key
        self.current = current
        self.target = target
        self.operation = operation


class ClaimLostError(StateStoreError):
    """The caller's push claim is no longer the current one (it expired and another run took over).

    The caller must not report a result for this order: the run that holds the current claim owns it.
    If the caller did create an invoice, that invoice is a probable duplicate and needs a human.
    """

    def __init__(self, key: OrderKey, token: str, detail: str) -> None:
        super().__init__(f"claim {token} on order {key} is no longer valid: {detail}")
        self.key = key
        self.token = token


class UncommittedClaimError(StateStoreError):
    """A push outcome is reported in the same transaction that made the claim.

    The claim must be committed before Hogia is called: otherwise a crash after the API call rolls the
    claim back, the order looks never-attempted, and the next run creates a second invoice.
    """

    def __init__(self, key: OrderKey) -> None:
        super().__init__(
            f"the claim on order {key} was made in this same transaction; commit it (end the "
            "`with store.transaction()` block) before calling Hogia, then report the outcome in a new one"
        )
        self.key = key


class DuplicateInvoiceError(StateStoreError):
    """An order already pushed is reported pushed again with a different Hogia invoice id."""

    def __init__(self, key: OrderKey, recorded_invoice_id: str, new_invoice_id: str) -> None:
        super().__init__(
            f"order {key} is already pushed as invoice {recorded_invoice_id}; "
            f"invoice {new_invoice_id} is a duplicate and must be handled by a human"
        )
        self.key = key
        self.recorded_invoice_id = recorded_invoice_id
        self.new_invoice_id = new_invoice_id


class BindingConflictError(StateStoreError):
    """A binding would violate one-to-one mapping between an external id and a Hogia id."""


class WatermarkKindError(StateStoreError):
    """A watermark is advanced with a value of another kind (timestamp, integer, text) than it holds."""


class MigrationError(StateStoreError):
    """The schema could not be brought to the expected revision."""
