"""Reconcile against the source: Hogia's invoice versus what the customer paid (docs/MONEY.md).

The shop order as fetched in this run (``orders/fetched/<shop>.json``) is the source; its figures come
from :func:`jetshop_hogia.mapping.money.order_money` — the money rule, computed from the order's rows
and total, not from the invoice lines the transform designed. Per order, Hogia's gross, net, VAT,
rounding and net/VAT per rate must equal them to the öre; every difference is named with the figure
and both values (no personal data: amounts and rates only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jetshop_hogia.apimodel.hogia_smart import CustomerInvoice, RoundingMode
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.mapping.money import OrderMoney, order_money_from_source
from jetshop_hogia.state import OrderKey
from jetshop_hogia.streams.orders import files

HALF_KRONA = Decimal("0.50")


@dataclass(frozen=True)
class SourceAmounts:
    """One shop order's money as the money rule reads it."""

    currency: str
    money: OrderMoney


def read_sources(run: StreamRun, tenant_id: str, shop_ids: Iterable[str]) -> dict[OrderKey, SourceAmounts]:
    """The fetched orders of this run, per order key (shops without a fetched file are skipped)."""
    sources: dict[OrderKey, SourceAmounts] = {}
    for shop_id in shop_ids:
        relative = files.FETCHED.format(shop=shop_id)
        if not run.path(relative).exists():
            continue
        for order in files.read_orders(run, relative):
            key = OrderKey(tenant_id, shop_id, order.order_number)
            sources[key] = SourceAmounts(order.currency, order_money_from_source(order))
    return sources


def read_rounding_mode(run: StreamRun) -> RoundingMode | None:
    """The company's rounding setting as this run's reference snapshot read it (None: not read)."""
    if not run.path(files.REFERENCE).exists():
        return None
    return files.read_reference(run, files.REFERENCE).rounding_mode


def _money(ore: int | Decimal) -> Decimal:
    return Decimal(ore).scaleb(-2) if isinstance(ore, int) else Decimal(ore).quantize(Decimal("0.01"))


def _rounding_problem(
    source: SourceAmounts, invoice: CustomerInvoice, mode: RoundingMode | None
) -> str | None:
    rounding = Decimal(invoice.rounding_amount)
    whole = _money(source.money.whole_krona_rounding())
    if mode is RoundingMode.WHOLE_KRONA:
        allowed = {whole}
    elif mode is RoundingMode.NONE:
        allowed = {Decimal(0)}
    else:  # the setting is unknown: no rounding, or whole-krona rounding of what was paid
        allowed = {Decimal(0), whole}
    if rounding in allowed and abs(rounding) <= HALF_KRONA:
        return None
    wanted = " or ".join(f"{value:.2f}" for value in sorted(allowed))
    return f"rounding: Hogia {_money(rounding)}, shop order {wanted}"


def compare_with_source(
    source: SourceAmounts, invoice: CustomerInvoice, rounding_mode: RoundingMode | None
) -> list[str]:
    """Every figure of Hogia's invoice that differs from the shop order by 1 öre or more."""
    found: list[str] = []
    if invoice.invoice_header.currency_code != source.currency:
        found.append(f"currency: Hogia {invoice.invoice_header.currency_code}, shop order {source.currency}")
    paid = source.money
    rounding = Decimal(invoice.rounding_amount)
    for label, hogia, shop in (
        ("gross before rounding", Decimal(invoice.gross_amount) - rounding, _money(paid.total)),
        ("net", Decimal(invoice.net_amount), _money(paid.net)),
        ("VAT", Decimal(invoice.vat_amount), _money(paid.vat)),
    ):
        if hogia != shop:
            found.append(f"{label}: Hogia {_money(hogia)}, shop order {shop}")
    if (problem := _rounding_problem(source, invoice, rounding_mode)) is not None:
        found.append(problem)
    theirs = {int(d.percent): (Decimal(d.net_amount), Decimal(d.amount)) for d in invoice.vat_distributions}
    mine = {rate.percent: (_money(rate.net), _money(rate.vat)) for rate in paid.by_rate}
    for percent in sorted(set(theirs) | set(mine), reverse=True):
        hogia_net, hogia_vat = theirs.get(percent, (Decimal(0), Decimal(0)))
        shop_net, shop_vat = mine.get(percent, (Decimal(0), Decimal(0)))
        if hogia_net != shop_net:
            found.append(f"{percent} % net: Hogia {_money(hogia_net)}, shop order {shop_net:.2f}")
        if hogia_vat != shop_vat:
            found.append(f"{percent} % VAT: Hogia {_money(hogia_vat)}, shop order {shop_vat:.2f}")
    return found
