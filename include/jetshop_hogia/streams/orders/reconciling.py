"""Reconcile: does every order the window owes Hogia have exactly one invoice, with the right amounts?

The window's orders are the ledger's (``order_changed_at`` in ``[start, end)``) plus whatever this run's
write handled outside it (the fetch overlap, expired pushes from older windows). Quarantined and ignored
orders are reported but owe no invoice. For every other order Hogia is asked, not the ledger: the window's
invoices are listed by invoice date in a few pages (one look-up per order would cost a rate-limited call
each), and only orders not found there are looked up one by one by ``customerOrderNumber``.

Per order: no invoice → missing; more than one active (not cancelled) invoice → duplicate; one → its gross,
net, VAT, rounding and net/VAT per rate are compared with the *shop order's own amounts* (the money rule,
``source_check``) — never with the transform's prediction, which would share any mistake of the
transform. The task fails (the caller raises) on missing or duplicate orders and on any amount that
differs by 1 öre or more; each is named per order. An order this run did not fetch is ``unchecked``.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, RoundingMode
from jetshop_hogia.kernel.stream import RunWindow
from jetshop_hogia.mapping import ExpectedTotals
from jetshop_hogia.state import (
    ORDERS_STREAM,
    OrderKey,
    OrderRecord,
    OrderState,
    ReconciliationCounts,
    StateStore,
)
from jetshop_hogia.streams.orders.pushing import InvoiceRef
from jetshop_hogia.streams.orders.source_check import SourceAmounts, compare_with_source
from jetshop_hogia.streams.orders.windows import date_span

NOT_OWED = frozenset({OrderState.QUARANTINED, OrderState.IGNORED})


class InvoiceLookup(Protocol):
    """The Hogia hook calls reconciliation uses."""

    def find_invoices_by_order_number(self, order_number: str) -> list[CustomerInvoice]: ...

    def iter_invoices_by_date(self, date_from: date, date_to: date) -> Iterator[CustomerInvoice]: ...


class Verdict(enum.StrEnum):
    """One order's reconciliation result."""

    MATCHED = "matched"
    UNCHECKED = "invoiced_unchecked"
    """Invoiced once; this run did not fetch the shop order, so there are no source amounts to compare."""
    MISMATCHED = "mismatched"
    MISSING = "missing"
    DUPLICATE = "duplicate"
    CANCELLED_IN_HOGIA = "cancelled_in_hogia"
    QUARANTINED = "quarantined"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Expectation:
    """What this run's transform predicted for one order."""

    ref: InvoiceRef
    invoice_date: date | None
    totals: ExpectedTotals | None


@dataclass(frozen=True)
class OrderCheck:
    """The verdict on one order, with what an operator needs to act on it (no personal data)."""

    shop_id: str
    order_number: str
    verdict: Verdict
    invoice_numbers: tuple[int, ...] = ()
    differences: tuple[str, ...] = ()
    note: str | None = None
    ledger_state: str | None = None
    gross: tuple[str, Decimal, Decimal] | None = None
    """(currency, the shop order's gross, Hogia's gross) of an order invoiced once and checked: the
    status page."""


@dataclass
class Reconciliation:
    """All checks of one window."""

    window: RunWindow
    checks: list[OrderCheck] = field(default_factory=list)

    def of(self, *verdicts: Verdict) -> list[OrderCheck]:
        """The checks with one of ``verdicts``."""
        return [check for check in self.checks if check.verdict in verdicts]

    @property
    def counts(self) -> ReconciliationCounts:
        """The state store's counters: ``expected`` are the orders that owe an invoice."""
        owed = [c for c in self.checks if c.verdict not in (Verdict.QUARANTINED, Verdict.IGNORED)]
        return ReconciliationCounts(
            expected=len(owed),
            matched=len(self.of(Verdict.MATCHED, Verdict.UNCHECKED, Verdict.CANCELLED_IN_HOGIA)),
            missing=len(self.of(Verdict.MISSING)),
            duplicates=len(self.of(Verdict.DUPLICATE)),
            mismatched=len(self.of(Verdict.MISMATCHED)),
            quarantined=len(self.of(Verdict.QUARANTINED)),
        )

    @property
    def failed(self) -> bool:
        """An order owes an invoice and has none, has more than one, or is billed ≠ what was paid."""
        return bool(self.of(Verdict.MISSING, Verdict.DUPLICATE, Verdict.MISMATCHED))


def compare_totals(expected: ExpectedTotals, invoice: CustomerInvoice) -> list[str]:
    """Differences between predicted and Hogia's totals, as short sentences (empty when equal).

    A diagnostic (prediction vs Hogia); the verdict compares Hogia with the source
    (:func:`~jetshop_hogia.streams.orders.source_check.compare_with_source`)."""
    found: list[str] = []
    if invoice.invoice_header.currency_code != expected.currency:
        found.append(
            f"currency {invoice.invoice_header.currency_code} in Hogia, {expected.currency} expected"
        )
    for label, hogia_value, ours in (
        ("gross", invoice.gross_amount, expected.gross),
        ("net", invoice.net_amount, expected.net),
        ("VAT", invoice.vat_amount, expected.vat),
        ("rounding", invoice.rounding_amount, expected.rounding_amount),
    ):
        if Decimal(hogia_value) != ours:
            found.append(f"{label} {_money(hogia_value)} in Hogia, {_money(ours)} expected")
    theirs = {int(d.percent): (Decimal(d.net_amount), Decimal(d.amount)) for d in invoice.vat_distributions}
    mine = {rate.percent: (rate.net, rate.vat) for rate in expected.vat_by_rate}
    for percent in sorted(set(theirs) | set(mine), reverse=True):
        hogia_pair = theirs.get(percent, (Decimal(0), Decimal(0)))
        our_pair = mine.get(percent, (Decimal(0), Decimal(0)))
        if hogia_pair != our_pair:
            found.append(
                f"{percent} % VAT: net {_money(hogia_pair[0])}/VAT {_money(hogia_pair[1])} in Hogia, "
                f"{_money(our_pair[0])}/{_money(our_pair[1])} expected"
            )
    return found


def _money(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def window_records(
    store: StateStore, tenant_id: str, window: RunWindow, extra: Iterable[OrderKey]
) -> tuple[list[OrderRecord], dict[OrderKey, str]]:
    """The window's ledger orders plus ``extra``, and the quarantine reason of each quarantined one."""
    with store.transaction() as tx:
        records = tx.ledger.orders(tenant_id, changed_from=window.start, changed_to=window.end)
        known = {record.key for record in records}
        for key in extra:
            if key not in known and (record := tx.ledger.get(key)) is not None:
                records.append(record)
                known.add(key)
        reasons: dict[OrderKey, str] = {}
        for record in records:
            if record.state is OrderState.QUARANTINED:
                entry = tx.quarantine.get(
                    tenant_id, ORDERS_STREAM, record.key.order_number, shop_id=record.key.shop_id
                )
                reasons[record.key] = entry.reason_code if entry else (record.state_reason or "quarantined")
    return records, reasons


def reconcile_orders(
    *,
    records: list[OrderRecord],
    reasons: Mapping[OrderKey, str],
    expectations: Mapping[OrderKey, Expectation],
    hogia: InvoiceLookup,
    window: RunWindow,
    multi_shop: bool,
    sources: Mapping[OrderKey, SourceAmounts] | None = None,
    rounding_mode: RoundingMode | None = None,
) -> Reconciliation:
    """Check each record against Hogia and its invoice against the shop order (``sources``: the run's
    fetched orders; ``rounding_mode``: the company's setting, None when unknown)."""
    sources = sources or {}
    result = Reconciliation(window)
    owed = [record for record in records if record.state not in NOT_OWED]
    for record in records:
        if record.state in NOT_OWED:
            verdict = Verdict.QUARANTINED if record.state is OrderState.QUARANTINED else Verdict.IGNORED
            note = reasons.get(record.key) or record.state_reason
            result.checks.append(OrderCheck(record.key.shop_id, record.key.order_number, verdict, note=note))
    refs = {record.key: _ref(record, expectations) for record in owed}
    listed = _listed(hogia, [expectations[r.key].invoice_date for r in owed if r.key in expectations])
    for record in owed:
        ref = refs[record.key]
        invoices = [i for i in listed.get(ref.customer_order_number, []) if _owns(i, ref, record, multi_shop)]
        if not invoices:  # not listed (other date, or changed meanwhile): ask for this order alone
            found = hogia.find_invoices_by_order_number(ref.customer_order_number)
            invoices = [i for i in found if _owns(i, ref, record, multi_shop)]
        source = sources.get(record.key)
        result.checks.append(_judge(record, invoices, source, rounding_mode))
    return result


def _ref(record: OrderRecord, expectations: Mapping[OrderKey, Expectation]) -> InvoiceRef:
    expectation = expectations.get(record.key)
    return expectation.ref if expectation else InvoiceRef(record.key.order_number)


def _owns(invoice: CustomerInvoice, ref: InvoiceRef, record: OrderRecord, multi_shop: bool) -> bool:
    """Whether ``invoice`` is this order's; without a predicted tag, the shop prefix of the tag decides."""
    if not ref.matches(invoice):
        return False
    if multi_shop and ref.channel_tag is None:
        return (invoice.invoice_header.channel_tag or "").startswith(f"{record.key.shop_id}/")
    return True


def _listed(hogia: InvoiceLookup, days: list[date | None]) -> dict[str, list[CustomerInvoice]]:
    span = date_span([day for day in days if day is not None])
    by_number: dict[str, list[CustomerInvoice]] = defaultdict(list)
    if span is not None:
        for invoice in hogia.iter_invoices_by_date(span[0], span[1]):
            by_number[invoice.invoice_header.customer_order_number or ""].append(invoice)
    return by_number


def _judge(
    record: OrderRecord,
    invoices: list[CustomerInvoice],
    source: SourceAmounts | None,
    rounding_mode: RoundingMode | None,
) -> OrderCheck:
    shop, number, state = record.key.shop_id, record.key.order_number, record.state.value
    invoices = sorted(invoices, key=lambda i: i.invoice_header.invoice_number)
    active = [invoice for invoice in invoices if not invoice.is_canceled]
    numbers = tuple(invoice.invoice_header.invoice_number for invoice in invoices)
    if not invoices:
        return OrderCheck(shop, number, Verdict.MISSING, ledger_state=state, note=record.last_error)
    if len(active) > 1:
        return OrderCheck(shop, number, Verdict.DUPLICATE, numbers, ledger_state=state)
    if not active:
        return OrderCheck(shop, number, Verdict.CANCELLED_IN_HOGIA, numbers, ledger_state=state)
    if source is None:
        return OrderCheck(shop, number, Verdict.UNCHECKED, numbers, ledger_state=state)
    differences = tuple(compare_with_source(source, active[0], rounding_mode))
    verdict = Verdict.MISMATCHED if differences else Verdict.MATCHED
    paid = Decimal(source.money.total).scaleb(-2)  # what the customer paid (öre → currency units)
    # Hogia's gross before its whole-krona rounding (checked on its own above): a rounded company would
    # otherwise show its rounding öre as drift on the status page
    billed = Decimal(active[0].gross_amount) - Decimal(active[0].rounding_amount)
    gross = (source.currency, paid, billed)
    return OrderCheck(shop, number, verdict, numbers, differences, ledger_state=state, gross=gross)
