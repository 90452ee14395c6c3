"""HogiaSmartHook under the simulator's faults and rate limits: exactly-once creates, 429s, resets.

Invoices are created at most once by the order stream's ``push_invoice`` (the one implementation); these
tests run it on the real hook against the simulator, where the unit tests in tests/orders use fakes.

Faults are seeded (``FaultConfig.seed``) and limited to one operation, so each test knows which attempt
fails; assertions read the simulator's own counters and its admin view of the invoices.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sim_connections import FAST_RETRY, hogia_connection

from jetshop_hogia.apimodel.hogia_smart import (
    ContactFields,
    CustomerInvoiceCreate,
    CustomerInvoiceHeaderCreate,
    InvoiceLineCreate,
)
from jetshop_hogia.streams.orders.pushing import InvoiceRef, Outcome, push_invoice
from jetshop_hogia_provider.hooks.hogia_invoices import SeveralInvoicesForOrderError
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.transport import AmbiguousWriteError, SlidingWindowRateLimiter
from jetshop_hogia_simulators.common.ratelimit import SlidingWindowLimiter
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle

FIRST_ATTEMPT_ONLY = 1
"""A fault seed whose first draw hits a 0.5 share and whose next two draws miss it."""


def faults(sim: HogiaSimHandle, operation: str, **shares: float) -> None:
    sim.admin("PUT", "faults", {"operations": [operation], "seed": FIRST_ATTEMPT_ONLY, **shares})


def calls(sim: HogiaSimHandle) -> dict[str, Any]:
    result: dict[str, Any] = sim.admin("GET", "calls")
    return result


def invoices_of(sim: HogiaSimHandle, order_number: str) -> int:
    overview = sim.admin("GET", f"invoices/{sim.organisation_id}")
    return int(overview["byCustomerOrderNumber"].get(order_number, 0))


def body_for(sim: HogiaSimHandle, order_number: str | None) -> CustomerInvoiceCreate:
    company = sim.simulator.state.company(sim.organisation_id)
    assert company is not None
    customer = next(iter(company.contacts.values()))
    article = next(a for a in company.articles.values() if a.send_to_web_shop)
    return CustomerInvoiceCreate(
        customer_invoice=CustomerInvoiceHeaderCreate(
            customer_number=customer.number,
            invoice_date=date(2026, 11, 20),
            customer_order_number=order_number,
        ),
        invoice_lines=[InvoiceLineCreate(article_number=article.number, quantity=Decimal(1))],
    )


@pytest.fixture
def hook(hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch) -> HogiaSmartHook:
    hogia_sim.set_rate_limit(None)
    with HogiaSmartHook(hogia_connection(monkeypatch, hogia_sim), retry=FAST_RETRY) as hook:
        yield hook  # type: ignore[misc]


def test_lost_create_answer_is_ambiguous_and_push_invoice_leaves_exactly_one_invoice(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    hogia_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["customerinvoices.create"]})
    with pytest.raises(AmbiguousWriteError):
        hook.create_invoice(body_for(hogia_sim, "W-1"))
    assert invoices_of(hogia_sim, "W-1") == 1, "the lost create had been applied"
    assert calls(hogia_sim)["calls"]["customerinvoices.create"] == 1, "a POST is never re-sent blindly"

    result = push_invoice(
        hook, body_for(hogia_sim, "W-2"), InvoiceRef("W-2"), look_first=False
    )  # answer lost
    assert result.outcome is Outcome.FOUND
    assert invoices_of(hogia_sim, "W-2") == 1
    assert [i.id for i in hook.find_invoices_by_order_number("W-2")] == [result.invoice_id]
    assert calls(hogia_sim)["calls"]["customerinvoices.create"] == 2, "found by look-up, not re-created"


def test_push_invoice_retries_a_create_that_was_not_applied(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    faults(hogia_sim, "customerinvoices.create", reset_share=0.5)  # reset before applying, first attempt
    result = push_invoice(hook, body_for(hogia_sim, "W-3"), InvoiceRef("W-3"), look_first=False)
    counters = calls(hogia_sim)
    assert counters["faults_injected"] == {"reset": 1}
    assert counters["calls"]["customerinvoices.create"] == 2
    assert result.outcome is Outcome.CREATED
    assert invoices_of(hogia_sim, "W-3") == 1
    assert result.invoice_id is not None
    assert hook.get_invoice(result.invoice_id) is not None


def test_push_invoice_gives_up_after_bounded_attempts_having_created_nothing(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    hogia_sim.admin("PUT", "faults", {"reset_share": 1.0, "operations": ["customerinvoices.create"]})
    result = push_invoice(
        hook, body_for(hogia_sim, "W-4"), InvoiceRef("W-4"), look_first=False, max_attempts=3
    )
    assert result.outcome is Outcome.NOT_CREATED
    assert calls(hogia_sim)["calls"]["customerinvoices.create"] == 3
    assert invoices_of(hogia_sim, "W-4") == 0


def test_push_invoice_finds_a_previous_attempt_and_never_adds_to_duplicates(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    first = hook.create_invoice(body_for(hogia_sim, "W-5"))
    found = push_invoice(hook, body_for(hogia_sim, "W-5"), InvoiceRef("W-5"), look_first=True)
    assert (found.outcome, found.invoice_ids) == (Outcome.FOUND, (first,))
    assert invoices_of(hogia_sim, "W-5") == 1
    second = hook.create_invoice(body_for(hogia_sim, "W-5"))  # what a naive retry would have done
    duplicates = push_invoice(hook, body_for(hogia_sim, "W-5"), InvoiceRef("W-5"), look_first=True)
    assert duplicates.outcome is Outcome.DUPLICATES
    assert set(duplicates.invoice_ids) == {first, second}
    assert invoices_of(hogia_sim, "W-5") == 2, "nothing more was created"
    with pytest.raises(SeveralInvoicesForOrderError) as caught:
        hook.find_invoice_for_order("W-5")
    assert {i.id for i in caught.value.invoices} == {first, second}
    for invoice in caught.value.invoices:
        assert f"#{invoice.invoice_header.invoice_number}" in str(caught.value)


def test_create_contact_once_looks_the_contact_up_after_a_lost_answer(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    hogia_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["contacts.create"]})
    by_number = ContactFields(number="K-900", given_name="Per", email="per@example.se")
    contact_id = hook.create_contact_once(by_number)
    assert [c.id for c in hook.iter_contacts(number="K-900")] == [contact_id]
    by_email = ContactFields(given_name="Eva", email="eva.unique@example.se")
    contact_id = hook.create_contact_once(by_email)
    assert [c.id for c in hook.iter_contacts(email="eva.unique@example.se")] == [contact_id]
    with pytest.raises(AmbiguousWriteError):  # no number, no e-mail: cannot be checked, so not retried
        hook.create_contact_once(ContactFields(given_name="Anonym"))
    assert calls(hogia_sim)["calls"]["contacts.create"] == 3


def test_idempotent_stock_patch_is_retried_after_a_lost_answer(
    hook: HogiaSmartHook, hogia_sim: HogiaSimHandle
) -> None:
    faults(hogia_sim, "articles.stock", lost_response_share=0.5)
    article = next(iter(hook.iter_articles(send_to_web_shop=True)))
    assert hook.set_stock(article.id, Decimal(42)).stock_balance == 42
    assert calls(hogia_sim)["calls"]["articles.stock"] == 2


def test_a_connection_reset_on_a_read_is_retried(hook: HogiaSmartHook, hogia_sim: HogiaSimHandle) -> None:
    faults(hogia_sim, "contacts.list", reset_share=0.5)
    company = hogia_sim.simulator.state.company(hogia_sim.organisation_id)
    assert company is not None
    assert len(list(hook.iter_contacts())) == len(company.contacts)
    counters = calls(hogia_sim)
    assert counters["faults_injected"] == {"reset": 1}
    assert counters["calls"]["contacts.list"] == 2


def test_429_waits_as_long_as_retry_after_says(
    hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    hogia_sim.set_rate_limit(SlidingWindowLimiter(2, 2.0))
    permissive = SlidingWindowRateLimiter(1000, 1.0)  # the client does not know the server's limit
    conn_id = hogia_connection(monkeypatch, hogia_sim)
    with HogiaSmartHook(conn_id, retry=FAST_RETRY, rate_limiter=permissive) as hook:
        hook.company()
        hook.company()
        started = time.monotonic()
        assert hook.company().name
        waited = time.monotonic() - started
    counters = calls(hogia_sim)
    assert counters["rate_limited"] == {hogia_sim.client_id: 1}
    assert counters["calls"]["company.get"] == 4
    assert waited >= 2.0, "came back before the Retry-After (2 s) had passed"
    assert waited < 4.0


def test_client_limiter_keeps_a_threaded_burst_under_the_server_limit(
    hogia_sim: HogiaSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    hogia_sim.set_rate_limit(SlidingWindowLimiter(5, 1.0))  # the 25/5 s model, scaled down
    conn_id = hogia_connection(
        monkeypatch, hogia_sim, "hogia_burst", rate_limit_requests=5, rate_limit_window_seconds=1.0
    )
    errors: list[BaseException] = []
    with HogiaSmartHook(conn_id, retry=FAST_RETRY) as hook:
        hook.tokens.get()

        def worker() -> None:
            try:
                for _ in range(4):
                    hook.company()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        elapsed = time.monotonic() - started
    counters = calls(hogia_sim)
    assert errors == []
    assert counters["calls"]["company.get"] == 16
    assert counters["rate_limited"] == {}, "the server refused requests the client limiter let through"
    assert elapsed >= 3.0, "16 requests at 5 per second need at least three full windows"
