"""Customers (``contacts``) in Hogia Smart: list with filters, find, create (at most once), replace.

E-mail and phone are personal data: the list filters put them into a query string, which the transport's
log filter blanks; they never appear in this module's logs or errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from jetshop_hogia.apimodel.hogia_smart import MAX_PAGE_SIZE, Contact, ContactFields
from jetshop_hogia_provider.hooks.hogia_rest import (
    DEFAULT_MAX_ATTEMPTS,
    HogiaRestCalls,
    create_once,
    entity_id,
    parse_model,
    parse_new_id,
    wire_body,
)

CREATE = "contacts.create"


class HogiaContactsMixin(HogiaRestCalls):
    """Contact calls of :class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`."""

    def iter_contacts(
        self,
        *,
        number: str | None = None,
        email: str | None = None,
        organisation_number: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Contact]:
        """Contacts matching every filter given (exact number; e-mail ignoring case; organisation
        number ignoring separators), in customer-number order. Paging is handled here."""
        params = {
            key: value
            for key, value in (
                ("number", number),
                ("email", email),
                ("organisationNumber", organisation_number),
            )
            if value is not None
        }
        return self.iter_models(Contact, "contacts", params=params, page_size=page_size)

    def get_contact(self, contact_id: str | uuid.UUID) -> Contact | None:
        """One contact by id, None when there is none."""
        return self.get_model_or_none(Contact, "contacts", contact_id)

    def find_contact_by_number(self, number: str) -> Contact | None:
        """The contact with this customer number (numbers are unique)."""
        return next(self.iter_contacts(number=number), None)

    def find_contact_by_email(self, email: str) -> Contact | None:
        """The contact with the lowest customer number among those with this e-mail (not unique)."""
        return next(self.iter_contacts(email=email), None)

    def create_contact(self, body: ContactFields) -> str:
        """Create a customer and return its id. A POST: a lost answer raises ``AmbiguousWriteError``
        (use :meth:`create_contact_once`); a duplicate ``number`` is a 422 ``UnprocessableError``."""
        payload = self.request_json(
            "POST", "contacts", json_body=wire_body(body, omit_none=True), operation=CREATE
        )
        return parse_new_id(payload, operation=CREATE)

    def create_contact_once(
        self, body: ContactFields, *, look_up_first: bool = False, max_attempts: int = DEFAULT_MAX_ATTEMPTS
    ) -> str:
        """Create a customer at most once: after a lost answer, look it up by ``number`` (or, without
        one, by ``email``) and return the id found; retry only when nothing was found.

        Without number and e-mail a lost answer cannot be checked and is re-raised rather than risking
        a second customer. ``look_up_first`` returns an existing match without creating anything.
        """

        def look_up() -> str | None:
            found = (
                self.find_contact_by_number(body.number)
                if body.number is not None
                else self.find_contact_by_email(body.email or "")
            )
            return found.id if found is not None else None

        can_look_up = body.number is not None or bool(body.email)
        return create_once(
            lambda: self.create_contact(body),
            look_up if can_look_up else None,
            operation=CREATE,
            max_attempts=max_attempts,
            look_up_first=look_up_first,
        )

    def update_contact(self, contact_id: str | uuid.UUID, body: ContactFields) -> Contact:
        """Replace a contact (PUT: idempotent, retried after a lost answer); returns the stored contact."""
        path = f"contacts/{entity_id(contact_id)}"
        payload = self.request_json("PUT", path, json_body=wire_body(body), operation="contacts.update")
        if payload is None:  # an API that answers 204 No Content: read what was stored
            payload = self.request_json("GET", path, operation="contacts.get")
        return parse_model(Contact, payload, operation="contacts.update")
