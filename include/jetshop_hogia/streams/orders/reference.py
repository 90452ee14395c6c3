"""Hogia reference data read once per run: article numbers, the customer index and the rounding mode.

The transform needs to know which articles and customers exist (to quarantine an order with an unknown
article before Hogia refuses it) and how the company rounds (to predict the totals reconciliation checks).
Reading them once per run, in fetch, keeps a returning customer's order at one Hogia call: the invoice
itself. The snapshot is written to the run directory, so a retried transform or write sees the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from jetshop_hogia.apimodel.hogia_smart import Article, Company, Contact
from jetshop_hogia.mapping import MatchOn, RoundingMode
from jetshop_hogia.mapping.customers import normalise_key


class ReferenceSource(Protocol):
    """The Hogia hook calls this module uses."""

    def company(self) -> Company: ...

    def iter_articles(self) -> Any: ...

    def iter_contacts(self) -> Any: ...


@dataclass(frozen=True)
class HogiaReference:
    """What the company looked like when the run read it."""

    articles: frozenset[str]
    customers: Mapping[str, str] = field(default_factory=dict)
    """Match key (lower-cased e-mail, or customer number) → Hogia customer number."""
    match_on: MatchOn = MatchOn.EMAIL
    rounding_mode: RoundingMode = RoundingMode.NONE
    currency: str = "SEK"

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``orders/reference.json``."""
        return {
            "articles": sorted(self.articles),
            "customers": dict(sorted(self.customers.items())),
            "match_on": self.match_on.value,
            "rounding_mode": self.rounding_mode.value,
            "currency": self.currency,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HogiaReference:
        """The snapshot :meth:`to_dict` wrote."""
        return cls(
            articles=frozenset(data["articles"]),
            customers=dict(data["customers"]),
            match_on=MatchOn(data["match_on"]),
            rounding_mode=RoundingMode(data["rounding_mode"]),
            currency=data["currency"],
        )


def customer_index(contacts: list[Contact], match_on: MatchOn) -> dict[str, str]:
    """Match key → customer number. Several contacts may share an e-mail; the lowest number wins, the
    same one the hook's ``find_contact_by_email`` returns, so an index hit and a look-up never disagree."""
    index: dict[str, str] = {}
    for contact in sorted(contacts, key=lambda c: _number_order(c.number)):
        raw = contact.email if match_on == MatchOn.EMAIL else contact.number
        if raw and raw.strip():
            index.setdefault(normalise_key(raw, match_on), contact.number)
    return index


def _number_order(number: str) -> tuple[int, int | str]:
    return (0, int(number)) if number.isdigit() else (1, number)


def read_reference(hogia: ReferenceSource, match_on: MatchOn) -> HogiaReference:
    """Company, all article numbers and the customer index: 3 calls for registers up to 500 entries each."""
    company = hogia.company()
    articles = frozenset(article.number for article in hogia.iter_articles() if isinstance(article, Article))
    contacts = [contact for contact in hogia.iter_contacts() if isinstance(contact, Contact)]
    return HogiaReference(
        articles=articles,
        customers=customer_index(contacts, match_on),
        match_on=match_on,
        rounding_mode=RoundingMode(company.rounding_mode),
        currency=company.currency_code,
    )
