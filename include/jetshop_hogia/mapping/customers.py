"""Customers: the match key of each order, Hogia contact bodies, and the create-or-bind plan.

Matching (tenant configuration): on the lower-cased e-mail, or on the shop customer number (which then
becomes the Hogia customer number of a created contact). Drafts of a customer not yet in Hogia carry
``PENDING_CUSTOMER_NUMBER`` in ``customerNumber`` until ``bind_customer_numbers`` fills it after the
contact was created — one create per customer per batch, however many orders they placed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jetshop_hogia.mapping.context import MatchOn
from jetshop_hogia.mapping.draft import CustomerCreate, CustomerMatch, InvoiceDraft, OrderKey


def normalise_key(value: str, match_on: MatchOn) -> str:
    """The comparable form of a match key (e-mail addresses compare case-insensitively)."""
    key = value.strip()
    return key.lower() if match_on == MatchOn.EMAIL else key


def normalised_index(existing: Mapping[str, str], match_on: MatchOn) -> dict[str, str]:
    """The existing-customer index with its keys in comparable form."""
    return {normalise_key(key, match_on): number for key, number in existing.items()}


def customer_keys(orders: pd.DataFrame, match_on: MatchOn) -> pd.Series:
    """Each order's match key (NaN when the order lacks it), vectorised."""
    if match_on == MatchOn.EMAIL:
        return orders["email"].str.strip().str.lower()
    return orders["customer_number"].str.strip()


def _address(
    kind: str, street: Any, co: Any, postal_code: Any, city: Any, country: Any
) -> dict[str, Any] | None:
    fields = {"street": street, "co": co, "postalCode": postal_code, "city": city, "countryCode": country}
    present = {name: value for name, value in fields.items() if isinstance(value, str)}
    return {"type": kind, **present} if present else None


def contact_body(
    order: Mapping[str, Any], *, currency: str, payment_terms_days: int, number: str | None
) -> dict[str, Any]:
    """A Hogia ``contacts`` create body from one row of the orders frame (None/NaN fields left out)."""

    def text(name: str) -> str | None:
        value = order.get(name)
        return value if isinstance(value, str) else None

    country = text("billing_country_code") or text("ship_country_code")
    body: dict[str, Any] = {"isCompany": bool(order["is_company"])}
    if number is not None:
        body["number"] = number
    if order["is_company"]:
        body["companyName"] = text("company_name")
        body["organisationNumber"] = text("organisation_number")
        body["vatNumber"] = text("vat_number")
    else:
        body["givenName"] = text("first_name")
        body["surName"] = text("last_name")
    body.update(email=text("email"), phone=text("phone") or text("ship_mobile_phone"), countryCode=country)
    body["customer"] = {"paymentTerms": payment_terms_days, "selectedCurrencyCode": currency}
    billing = _address(
        "billing",
        text("billing_address"),
        text("billing_co"),
        text("billing_zip_code"),
        text("billing_city"),
        text("billing_country_code") or country,
    )
    delivery = _address(
        "delivery",
        text("ship_address"),
        text("ship_co"),
        text("ship_zip_code"),
        text("ship_city"),
        text("ship_country_code") or country,
    )
    body["addresses"] = [address for address in (billing, delivery) if address is not None]
    return {name: value for name, value in body.items() if value is not None}


@dataclass(frozen=True)
class ContactToCreate:
    """One contact to POST before its orders' invoices; ``known_number`` is set under number matching."""

    match_key: str
    contact: Mapping[str, Any]
    order_keys: tuple[OrderKey, ...]
    known_number: str | None


@dataclass(frozen=True)
class CustomerPlan:
    """Drafts bound wherever the customer is known, and the contacts still to create."""

    drafts: tuple[InvoiceDraft, ...]
    to_create: tuple[ContactToCreate, ...]


def bind_customer_number(draft: InvoiceDraft, number: str) -> InvoiceDraft:
    """The draft with ``customerNumber`` set; the payload hash does not change (it hashes the key)."""
    invoice = {**draft.body["customerInvoice"], "customerNumber": number}
    return dataclasses.replace(
        draft, body={**draft.body, "customerInvoice": invoice}, customer=CustomerMatch(number)
    )


def bind_customer_numbers(
    drafts: Iterable[InvoiceDraft], numbers: Mapping[str, str]
) -> tuple[InvoiceDraft, ...]:
    """Bind every draft whose customer match key is in ``numbers`` (key → Hogia customer number)."""
    return tuple(
        bind_customer_number(draft, numbers[draft.customer_key])
        if not draft.is_bound and draft.customer_key in numbers
        else draft
        for draft in drafts
    )


def resolve_customers(
    drafts: Sequence[InvoiceDraft], existing: Mapping[str, str], match_on: MatchOn
) -> CustomerPlan:
    """Bind drafts to customers found in ``existing`` (a fresher index than the transform's, perhaps)
    and list the contacts still missing, one per match key, built from that key's first draft."""
    index = normalised_index(existing, match_on)
    bound = bind_customer_numbers(drafts, index)
    creates: dict[str, tuple[CustomerCreate, list[OrderKey]]] = {}
    for draft in bound:
        if draft.is_bound or not isinstance(draft.customer, CustomerCreate):
            continue
        entry = creates.setdefault(draft.customer_key, (draft.customer, []))
        entry[1].append(draft.key)
    to_create = tuple(
        ContactToCreate(
            key,
            action.contact,
            tuple(keys),
            action.contact.get("number") if match_on == MatchOn.CUSTOMER_NUMBER else None,
        )
        for key, (action, keys) in creates.items()
    )
    return CustomerPlan(bound, to_create)
