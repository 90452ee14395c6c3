"""``push_invoice``: every failure of a create becomes an outcome the ledger can record truthfully.

A scripted Hogia (no network) answers creates and look-ups in a given order, so each path of the protocol
is pinned down: a lost answer is looked up before anything is sent again, a refusal is never confused with
a lost answer, several invoices are never followed by another one, and a failed look-up after a lost answer
leaves the outcome unknown instead of guessing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, CustomerInvoiceCreate
from jetshop_hogia.streams.orders.pushing import InvoiceRef, Outcome, push_invoice
from jetshop_hogia_provider.hooks.hogia_rest import HogiaResponseError
from jetshop_hogia_provider.transport.errors import (
    AmbiguousWriteError,
    AuthenticationError,
    TransientError,
    UnprocessableError,
)

BODY = CustomerInvoiceCreate.model_validate(
    {
        "customerInvoice": {"customerNumber": "1", "invoiceDate": "2026-11-23", "customerOrderNumber": "A1"},
        "invoiceLines": [{"articleNumber": "1092-10", "quantity": 1}],
    }
)
REF = InvoiceRef("A1")


def invoice(
    number: int, order: str = "A1", tag: str | None = None, canceled: bool = False
) -> CustomerInvoice:
    now = datetime(2026, 11, 23, 12, 0)
    return CustomerInvoice.model_validate(
        {
            "id": str(uuid.uuid4()),
            "rowVersion": number,
            "createdDate": now,
            "updatedDate": now,
            "invoiceHeader": {
                "invoiceNumber": number,
                "ocr": f"{number}0",
                "customerNumber": "1",
                "customerOrderNumber": order,
                "invoiceDate": date(2026, 11, 23),
                "invoiceExpirationDate": date(2026, 12, 23),
                "currencyCode": "SEK",
                "channelTag": tag,
            },
            "invoiceLines": [],
            "netAmount": Decimal("100"),
            "vatAmount": Decimal("25"),
            "roundingAmount": Decimal("0"),
            "grossAmount": Decimal("125"),
            "vatDistributions": [],
            "amountLeftToPay": Decimal("125"),
            "isCanceled": canceled,
        }
    )


def lost() -> AmbiguousWriteError:
    return AmbiguousWriteError("answer lost", operation="customerinvoices.create")


@dataclass
class ScriptedHogia:
    """Creates and look-ups answer from scripts; a create that is "applied" adds an invoice."""

    creates: list[Callable[[], str]]
    lookups: list[Callable[[], None]] = field(default_factory=list)
    stored: list[CustomerInvoice] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def create_invoice(self, body: CustomerInvoiceCreate) -> str:
        self.log.append("create")
        return self.creates.pop(0)()

    def find_invoices_by_order_number(self, order_number: str) -> list[CustomerInvoice]:
        self.log.append("find")
        if self.lookups:
            self.lookups.pop(0)()
        return [i for i in self.stored if i.invoice_header.customer_order_number == order_number]

    def applied(self, then: Exception | None = None, tag: str | None = None) -> Callable[[], str]:
        def apply() -> str:
            created = invoice(len(self.stored) + 1, tag=tag)
            self.stored.append(created)
            if then is not None:
                raise then
            return created.id

        return apply


def raises(error: Exception) -> Callable[[], Any]:
    def fail() -> Any:
        raise error

    return fail


def test_a_plain_create_makes_one_call() -> None:
    hogia = ScriptedHogia([])
    hogia.creates.append(hogia.applied())

    result = push_invoice(hogia, BODY, REF, look_first=False)

    assert (result.outcome, result.invoice_id, hogia.log) == (Outcome.CREATED, hogia.stored[0].id, ["create"])


def test_an_applied_create_whose_answer_was_lost_is_found_not_sent_again() -> None:
    hogia = ScriptedHogia([])
    hogia.creates.append(hogia.applied(then=lost()))

    result = push_invoice(hogia, BODY, REF, look_first=False)

    assert (result.outcome, result.invoice_id) == (Outcome.FOUND, hogia.stored[0].id)
    assert hogia.log == ["create", "find"]


def test_a_lost_create_that_was_not_applied_is_sent_again_after_the_look_up() -> None:
    hogia = ScriptedHogia([raises(lost())])
    hogia.creates.append(hogia.applied())

    result = push_invoice(hogia, BODY, REF, look_first=False)

    assert result.outcome is Outcome.CREATED
    assert (hogia.log, len(hogia.stored)) == (["create", "find", "create"], 1)


def test_an_unreadable_2xx_answer_counts_as_applied() -> None:
    hogia = ScriptedHogia([])
    hogia.creates.append(hogia.applied(then=HogiaResponseError("no GUID", operation="x")))

    assert push_invoice(hogia, BODY, REF, look_first=False).outcome is Outcome.FOUND


def test_every_answer_lost_and_nothing_applied_is_not_created() -> None:
    hogia = ScriptedHogia([raises(lost()) for _ in range(3)])

    result = push_invoice(hogia, BODY, REF, look_first=False, max_attempts=3)

    assert (result.outcome, hogia.stored) == (Outcome.NOT_CREATED, [])
    assert hogia.log == ["create", "find", "create", "find", "create", "find"]


def test_a_refusal_before_applying_is_not_created_and_a_business_rule_is_rejected() -> None:
    unavailable = ScriptedHogia([raises(TransientError("503", operation="x", status=503))])
    refused = ScriptedHogia([raises(UnprocessableError("unknown article", operation="x", status=422))])

    assert push_invoice(unavailable, BODY, REF, look_first=False).outcome is Outcome.NOT_CREATED
    assert push_invoice(refused, BODY, REF, look_first=False).outcome is Outcome.REJECTED


def test_a_lost_answer_whose_look_up_fails_stays_unknown_and_nothing_is_resent() -> None:
    hogia = ScriptedHogia([])
    hogia.creates.append(hogia.applied(then=lost()))
    hogia.lookups.append(raises(TransientError("list down", operation="x")))  # first look-up fails …

    result = push_invoice(hogia, BODY, REF, look_first=False)

    assert result.outcome is Outcome.UNKNOWN  # … so nothing is sent again: the outcome stays unknown
    assert hogia.log == ["create", "find"]


def test_a_422_after_a_lost_answer_that_was_not_applied_is_a_rejection() -> None:
    hogia = ScriptedHogia(
        [raises(lost()), raises(UnprocessableError("customer gone", operation="x", status=422))]
    )

    result = push_invoice(hogia, BODY, REF, look_first=False)

    assert (result.outcome, hogia.log) == (Outcome.REJECTED, ["create", "find", "create"])


def test_an_earlier_attempt_is_looked_up_first_and_duplicates_are_never_added_to() -> None:
    hogia = ScriptedHogia([], stored=[invoice(7), invoice(9)])

    result = push_invoice(hogia, BODY, REF, look_first=True)

    assert result.outcome is Outcome.DUPLICATES
    assert result.invoice_ids == (hogia.stored[0].id, hogia.stored[1].id)
    assert hogia.log == ["find"]


def test_a_failed_look_up_first_is_unknown_only_when_the_earlier_outcome_was() -> None:
    def down() -> ScriptedHogia:
        return ScriptedHogia([], lookups=[raises(TransientError("down", operation="x"))])

    assert push_invoice(down(), BODY, REF, look_first=True).outcome is Outcome.NOT_CREATED
    unknown = push_invoice(down(), BODY, REF, look_first=True, earlier_outcome_unknown=True)
    assert unknown.outcome is Outcome.UNKNOWN


def test_errors_that_are_not_about_the_order_stop_the_run() -> None:
    hogia = ScriptedHogia([raises(AuthenticationError("401", operation="x", status=401))])

    with pytest.raises(AuthenticationError):
        push_invoice(hogia, BODY, REF, look_first=False)


def test_with_several_shops_an_other_shops_invoice_of_the_same_number_is_not_ours() -> None:
    hogia = ScriptedHogia([], stored=[invoice(3, tag="delta/OUTLET")])
    hogia.creates.append(hogia.applied(tag="gamma/GAMMA"))

    result = push_invoice(hogia, BODY, InvoiceRef("A1", "gamma/GAMMA"), look_first=True)

    assert result.outcome is Outcome.CREATED
    assert hogia.log == ["find", "create"]


def test_nothing_is_sent_once_the_claim_has_expired() -> None:
    hogia = ScriptedHogia([raises(lost())])
    sends = iter([True, False])  # the claim expires while the first lost answer is being looked up

    result = push_invoice(hogia, BODY, REF, look_first=False, may_send=lambda: next(sends))

    assert (result.outcome, hogia.log) == (Outcome.NOT_CREATED, ["create", "find"])
