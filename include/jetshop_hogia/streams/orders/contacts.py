"""New customers before their invoices: one contact per customer, created at most once, then bound.

An invoice needs the Hogia customer number. Returning customers are bound from the run's reference
snapshot without any call. A customer not in the snapshot is looked up once more first — the snapshot is
from fetch, and an earlier attempt of this very write may have created the contact before it failed — and
only then created (``create_contact_once`` checks again after a lost answer). With e-mail matching Hogia
assigns the number, so the created contact is read back for it.

A customer Hogia refuses (400/422) takes only its own orders down (they are quarantined by the writer); a
transient failure leaves its orders eligible for the task's retry; anything else (authentication,
configuration) is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import ValidationError

from jetshop_hogia.apimodel.hogia_smart import Contact, ContactFields
from jetshop_hogia.errors import AmbiguousWriteError, PermanentError, TransientError
from jetshop_hogia.mapping import ContactToCreate, InvoiceDraft, bind_customer_numbers, resolve_customers
from jetshop_hogia.streams.orders.pushing import ORDER_LEVEL_STATUSES
from jetshop_hogia.streams.orders.reference import HogiaReference


class ContactApi(Protocol):
    """The Hogia hook calls this module uses."""

    def find_contact_by_number(self, number: str) -> Contact | None: ...

    def find_contact_by_email(self, email: str) -> Contact | None: ...

    def create_contact_once(self, body: ContactFields) -> str: ...

    def get_contact(self, contact_id: str) -> Contact | None: ...


@dataclass(frozen=True)
class CustomerFailure:
    """Why a customer could not be made ready; ``retryable`` failures leave their orders eligible."""

    retryable: bool
    message: str


@dataclass(frozen=True)
class CustomersReady:
    """Drafts with every customer number that could be bound, and what went wrong for the others."""

    drafts: tuple[InvoiceDraft, ...]
    created: int = 0
    found: int = 0
    failures: dict[str, CustomerFailure] = field(default_factory=dict)
    """Customer match key → failure."""


def ensure_customers(
    drafts: Sequence[InvoiceDraft], reference: HogiaReference, hogia: ContactApi
) -> CustomersReady:
    """Bind every draft to its Hogia customer, creating each missing customer once (see module doc)."""
    plan = resolve_customers(drafts, reference.customers, reference.match_on)
    numbers: dict[str, str] = {}
    failures: dict[str, CustomerFailure] = {}
    created = found = 0
    for contact in plan.to_create:
        try:
            number, was_created = _find_or_create(hogia, contact)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            failures[contact.match_key] = CustomerFailure(False, f"customer data refused: {problems}")
            continue
        except (TransientError, AmbiguousWriteError) as exc:
            failures[contact.match_key] = CustomerFailure(True, f"customer not created yet: {exc}")
            continue
        except PermanentError as exc:
            if exc.status not in ORDER_LEVEL_STATUSES:
                raise
            failures[contact.match_key] = CustomerFailure(False, f"Hogia refused the customer: {exc}")
            continue
        numbers[contact.match_key] = number
        created += was_created
        found += not was_created
    return CustomersReady(bind_customer_numbers(plan.drafts, numbers), created, found, failures)


def _find_or_create(hogia: ContactApi, contact: ContactToCreate) -> tuple[str, bool]:
    """(customer number, whether it was created now)."""
    fields = ContactFields.model_validate(dict(contact.contact))
    if fields.number is not None:
        existing = hogia.find_contact_by_number(fields.number)
    else:
        existing = hogia.find_contact_by_email(fields.email) if fields.email else None
    if existing is not None:
        return existing.number, False
    contact_id = hogia.create_contact_once(fields)
    if fields.number is not None:
        return fields.number, True
    stored = hogia.get_contact(contact_id)
    if stored is None:
        raise TransientError("the new customer cannot be read back yet", operation="contacts.get")
    return stored.number, True
