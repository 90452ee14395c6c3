"""The Hogia simulator's data: one store per company (organisation), plus snapshotting.

Each company has its own contacts, articles and invoices, its own invoice-number and customer-number
series, and one ``rowVersion`` counter shared by all its resources — like SQL Server's ``rowversion``,
which is what makes ``…/rowversion?lastKnownRowVersion=N`` polling lossless across resource types.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from jetshop_hogia.apimodel.hogia_invoice_status import InvoiceStatusEvent
from jetshop_hogia.apimodel.hogia_smart import Article, Company, Contact, CustomerInvoice, Entity, VatCode
from jetshop_hogia_simulators.common.persistence import SqliteSnapshotStore

E = TypeVar("E", bound=Entity)

FIRST_INVOICE_NUMBER = 10_001
FIRST_CUSTOMER_NUMBER = 1_001


def _number_order(number: str) -> tuple[int, int, str]:
    """Numeric numbers first, in numeric order, then the rest alphabetically."""
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


@dataclass
class CompanyStore:
    """Everything one Hogia Smart company holds, and its counters."""

    company: Company
    client_id: str
    client_secret: str
    row_version: int = 0
    next_invoice_number: int = FIRST_INVOICE_NUMBER
    next_customer_number: int = FIRST_CUSTOMER_NUMBER
    vat_codes: list[VatCode] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    invoices: dict[str, CustomerInvoice] = field(default_factory=dict)
    status_events: list[InvoiceStatusEvent] = field(default_factory=list)
    """The invoice status event log (``hogia.invoice_events``), ascending by ``eventId``."""

    @property
    def organisation_id(self) -> str:
        """The organisation GUID that prefixes every API path of this company."""
        return self.company.id

    def bump(self) -> int:
        """The next row version: every write anywhere in the company takes one."""
        self.row_version += 1
        return self.row_version

    def new_entity_fields(self, now: datetime, entity_id: str | None = None) -> dict[str, Any]:
        """``id``/``version``/``rowVersion``/dates for an entity created ``now``."""
        return {
            "id": entity_id or str(uuid.uuid4()),
            "version": 1,
            "row_version": self.bump(),
            "created_date": now,
            "updated_date": now,
        }

    def touch(self, entity: Entity, now: datetime) -> None:
        """Record a change of ``entity``: new version, new row version, new ``updatedDate``."""
        entity.version += 1
        entity.row_version = self.bump()
        entity.updated_date = now

    def contact_by_number(self, number: str) -> Contact | None:
        """The contact with customer number ``number``."""
        return next((c for c in self.contacts.values() if c.number == number), None)

    def article_by_number(self, number: str) -> Article | None:
        """The article with article number ``number``."""
        return next((a for a in self.articles.values() if a.number == number), None)

    def allocate_customer_number(self) -> str:
        """The next free customer number (numbers chosen by clients are skipped)."""
        taken = {contact.number for contact in self.contacts.values()}
        while str(self.next_customer_number) in taken:
            self.next_customer_number += 1
        number = str(self.next_customer_number)
        self.next_customer_number += 1
        return number

    def allocate_invoice_number(self) -> int:
        """The next number of the company's one invoice series (never reused: invoices are kept)."""
        number = self.next_invoice_number
        self.next_invoice_number += 1
        return number

    def dump(self) -> dict[str, Any]:
        """This company as a JSON-ready document (wire shapes, so a snapshot reads like the API)."""
        return {
            "company": self.company.wire(),
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "rowVersion": self.row_version,
            "nextInvoiceNumber": self.next_invoice_number,
            "nextCustomerNumber": self.next_customer_number,
            "vatCodes": [v.wire() for v in self.vat_codes],
            "contacts": [c.wire() for c in self.contacts.values()],
            "articles": [a.wire() for a in self.articles.values()],
            "invoices": [i.wire() for i in self.invoices.values()],
            "statusEvents": [e.wire() for e in self.status_events],
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> CompanyStore:
        """The inverse of :meth:`dump`."""

        def by_id(model: type[E], rows: Iterable[dict[str, Any]]) -> dict[str, E]:
            items = (model.model_validate(row) for row in rows)
            return {item.id: item for item in items}

        return cls(
            company=Company.model_validate(data["company"]),
            client_id=data["clientId"],
            client_secret=data["clientSecret"],
            row_version=data["rowVersion"],
            next_invoice_number=data["nextInvoiceNumber"],
            next_customer_number=data["nextCustomerNumber"],
            vat_codes=[VatCode.model_validate(row) for row in data["vatCodes"]],
            contacts=by_id(Contact, data["contacts"]),
            articles=by_id(Article, data["articles"]),
            invoices=by_id(CustomerInvoice, data["invoices"]),
            status_events=[InvoiceStatusEvent.model_validate(e) for e in data.get("statusEvents", [])],
        )


def sort_by_number(items: Iterable[E], number: Callable[[E], str]) -> list[E]:
    """Items in customer/article number order."""
    return sorted(items, key=lambda item: _number_order(number(item)))


def changed_since(items: Iterable[E], last_known_row_version: int) -> list[E]:
    """Items with ``rowVersion > last_known_row_version``, ascending: the rowversion poll."""
    return sorted(
        (item for item in items if item.row_version > last_known_row_version),
        key=lambda item: item.row_version,
    )


class HogiaState:
    """All companies of the simulator, guarded by one lock, optionally kept in a SQLite snapshot.

    Handlers are ``async`` and run on the event loop, but the shared admin router's reset and dump run
    in worker threads, so every read-modify-write takes :attr:`lock`.
    """

    def __init__(
        self, seed_companies: Callable[[], list[CompanyStore]], store: SqliteSnapshotStore | None
    ) -> None:
        self.lock = threading.RLock()
        self._seed_companies = seed_companies
        self._store = store
        self.companies: dict[str, CompanyStore] = {}
        snapshot = store.load() if store is not None else None
        if snapshot is not None:
            self._install([CompanyStore.load(row) for row in snapshot["companies"]])
        else:
            self.reset()

    def _install(self, companies: list[CompanyStore]) -> None:
        self.companies = {c.organisation_id.lower(): c for c in companies}

    def reset(self) -> None:
        """Back to the seeded companies (and save that, when persistent)."""
        with self.lock:
            self._install(self._seed_companies())
            self.persist()

    def company(self, organisation_id: str) -> CompanyStore | None:
        """The company with this organisation GUID (any letter case)."""
        return self.companies.get(organisation_id.lower())

    def by_client_id(self, client_id: str) -> CompanyStore | None:
        """The company an API client belongs to."""
        return next((c for c in self.companies.values() if c.client_id == client_id), None)

    def credentials(self) -> list[dict[str, Any]]:
        """Demo API clients: organisation GUID, client id and secret, settings of every company."""
        with self.lock:
            return [
                {
                    "organisationId": c.organisation_id,
                    "name": c.company.name,
                    "clientId": c.client_id,
                    "clientSecret": c.client_secret,
                    "roundingMode": c.company.rounding_mode.value,
                    "modules": list(c.company.modules),
                }
                for c in self.companies.values()
            ]

    def dump(self) -> dict[str, Any]:
        """The whole state as one JSON-ready document (admin ``/state`` and the snapshot)."""
        with self.lock:
            return {"companies": [company.dump() for company in self.companies.values()]}

    def persist(self) -> None:
        """Save the snapshot after a write, when a state file is configured."""
        if self._store is not None:
            with self.lock:
                self._store.save(self.dump())
