"""The money rule (docs/MONEY.md): what an invoice must add up to, and lines that make Hogia get there.

What the customer paid is the source of truth. For an order:

- **per rate** r: the rate's total incl. VAT ``T_r`` is the sum of its rows' totals (the ≤ 1 öre by which
  the rows may miss the order total goes to the largest row with a non-zero rate — never to a 0 % row);
  its VAT is ``V_r = round(T_r × r / (1 + r), 2)`` half-up and its net ``N_r = T_r − V_r``;
- the invoice total incl. VAT is the order total, to the öre (whole-krona companies add a
  ``roundingAmount`` within ±0.50 on top); 0 % rows carry no VAT and absorb no öre.

:func:`order_money` computes those figures from a shop order — the transform aims at them and
reconciliation checks Hogia's invoice against them. :func:`design_rate_lines` chooses the line nets of
one rate so that Hogia's own row arithmetic (each line's amount and VAT rounded half-up to öre, VAT
summed per rate: ``apimodel.hogia_amounts.invoice_totals``) lands exactly on ``N_r`` and ``V_r``: a
small search over ±1 öre per line, splitting a whole quantity into two lines, and — only when neither
is enough — one documented per-rate adjustment line of a few öre on the discount helper article.
All amounts here are integer öre; VAT rates are basis points (2500 = 25 %).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_SHIFT = 2
"""How far (öre) the search moves one line's net from its exact share."""
_SPREAD = 3
"""How far (öre) a partial sum may stray from its exact prefix while the search runs."""
_COST_SHIFT, _COST_SPLIT, _COST_ADJUST = 1, 3, 20


def half_up_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (positive denominator), exactly."""
    quotient, remainder = divmod(abs(numerator), denominator)
    quotient += 2 * remainder >= denominator
    return quotient if numerator >= 0 else -quotient


def line_vat(net: int, bp: int) -> int:
    """Hogia's VAT of one line: ``round(net × rate, 2)`` half-up."""
    return half_up_div(net * bp, 10_000)


def vat_in_gross(gross: int, bp: int) -> int:
    """The VAT contained in an amount incl. VAT: ``round(gross × r / (1 + r), 2)`` half-up."""
    return half_up_div(gross * bp, 10_000 + bp)


def gap_row(totals: Sequence[int], bps: Sequence[int]) -> int:
    """The row that absorbs the öre by which the rows miss the order total: the largest row with a
    non-zero rate (the first of equals), the largest row when every row is 0 %."""
    return max(range(len(totals)), key=lambda index: (bps[index] != 0, totals[index]))


@dataclass(frozen=True)
class RateMoney:
    """One rate of an order: total incl. VAT, net and VAT, in öre."""

    bp: int
    gross: int
    net: int
    vat: int

    @property
    def percent(self) -> int:
        """The rate in whole percent (25)."""
        return self.bp // 100


@dataclass(frozen=True)
class OrderMoney:
    """What an order's invoice must show (before any whole-krona rounding), from the shop's figures."""

    total: int
    by_rate: tuple[RateMoney, ...]
    """Highest rate first."""

    @property
    def vat(self) -> int:
        """The invoice's VAT: the sum of the per-rate VAT."""
        return sum(rate.vat for rate in self.by_rate)

    @property
    def net(self) -> int:
        """The invoice's net: the sum of the per-rate nets."""
        return sum(rate.net for rate in self.by_rate)

    def whole_krona_rounding(self) -> int:
        """The ``roundingAmount`` (öre) of a whole-krona company: half-up, within ±50."""
        return half_up_div(self.total, 100) * 100 - self.total


def to_ore(amount: Decimal) -> int:
    """A money amount as integer öre, half-up (the shop writes 4 decimals)."""
    return int(amount.scaleb(2).to_integral_value(rounding=ROUND_HALF_UP))


def to_bp(rate: Decimal) -> int:
    """A VAT fraction (``0.25``) as basis points (2500)."""
    return int(rate.scaleb(4).to_integral_value(rounding=ROUND_HALF_UP))


def order_money(rows: Iterable[tuple[int, int]], order_total: int) -> OrderMoney:
    """The money rule's figures for an order: ``rows`` are (total incl. VAT öre, rate bp) per row."""
    listed = list(rows)
    totals = [total for total, _ in listed]
    bps = [bp for _, bp in listed]
    if listed:
        totals[gap_row(totals, bps)] += order_total - sum(totals)
    gross_by_rate: dict[int, int] = {}
    for total, bp in zip(totals, bps, strict=True):
        gross_by_rate[bp] = gross_by_rate.get(bp, 0) + total
    rates = []
    for bp in sorted(gross_by_rate, reverse=True):
        gross = gross_by_rate[bp]
        vat = vat_in_gross(gross, bp)
        rates.append(RateMoney(bp, gross, gross - vat, vat))
    return OrderMoney(order_total, tuple(rates))


def order_money_from_source(order: object) -> OrderMoney:
    """:func:`order_money` of a ``JetshopOrder`` (or anything with ``rows`` and ``total_inc_vat``)."""
    rows = getattr(order, "rows", ())
    return order_money(
        ((to_ore(row.total_inc_vat), to_bp(row.vat_rate)) for row in rows),
        to_ore(getattr(order, "total_inc_vat")),  # noqa: B009 — typed as object on purpose
    )


@dataclass(frozen=True)
class RowTarget:
    """One row of a rate, as the line design sees it: its target incl. VAT and whether it may be split
    into two lines (a whole quantity of at least 2, not a discount row)."""

    gross: int
    quantity_milli: int
    splittable: bool


@dataclass(frozen=True)
class RateLines:
    """The designed line nets of one rate: per row one net, or two (quantity − 1, then 1), plus the
    net of an adjustment line (0 when there is none; negative: a discount of a few öre)."""

    nets: tuple[tuple[int, ...], ...]
    adjustment: int
    exact: bool
    """Whether Hogia's arithmetic on these nets gives exactly the rate's net and VAT."""


_State = tuple[int, int]
_Option = tuple[int, tuple[int, ...], int, int]
"""(cost, line nets, their VAT, adjustment line net)."""
_Path = tuple[int, tuple[tuple[int, ...], ...], int]
"""(cost, nets per row so far, adjustment line net)."""


def _reach(bp: int) -> int:
    """Half a period of the rate's VAT fractions, in öre (25 % → 2, 12 % → 12, 6 % → 25)."""
    return 10_000 // math.gcd(bp, 10_000) // 2


def _choices(base: int, row: RowTarget, bp: int, *, level: int, first: bool) -> list[_Option]:
    """One row's options: a shift of up to ±2 öre (level 2: up to half a VAT period); a split of a
    whole quantity into (quantity − 1, 1) with the single unit's net nudged (levels ≥ 1: by up to half
    a period); from level 1, on the first row, the row's line plus an adjustment line of −a öre (the
    row carries a öre more, so the rate's net is unchanged)."""
    options: list[_Option] = []
    wide = level >= 1
    shifts = _reach(bp) if level >= 2 else _SHIFT
    for shift in range(-shifts, shifts + 1):
        net = base + shift
        options.append((_COST_SHIFT * abs(shift), (net,), line_vat(net, bp), 0))
    reach = _reach(bp) if wide else 1
    if row.splittable:
        units = row.quantity_milli // 1000
        for shift in range(-1, 2):
            net = base + shift
            share = half_up_div(net, units)
            for nudge in range(-reach, reach + 1):
                single = share + nudge
                nets = (net - single, single)
                vat = line_vat(nets[0], bp) + line_vat(single, bp)
                options.append((_COST_SPLIT + abs(shift) + abs(nudge), nets, vat, 0))
    if wide and first:
        for shift in range(-1, 2):
            for size in range(1, 2 * reach + 2):
                net = base + shift + size
                vat = line_vat(net, bp) + line_vat(-size, bp)
                options.append((_COST_ADJUST + size + abs(shift), (net,), vat, -size))
    sign = -1 if row.gross < 0 else 1  # a line never flips sign: no negative price, no discount adding money
    return [option for option in options if all(net * sign >= 0 for net in option[1])]


def _search(rows: Sequence[RowTarget], bp: int, *, level: int) -> _Path | None:
    """The cheapest line nets whose Hogia net and VAT equal the rate's (None when there are none)."""
    net_spread = 2 * _reach(bp) + _SPREAD if level >= 2 else _SPREAD
    cumulative = previous_net = previous_vat = 0
    states: dict[_State, _Path] = {(0, 0): (0, (), 0)}
    for index, row in enumerate(rows):
        cumulative += row.gross
        vat_to_here = vat_in_gross(cumulative, bp)
        net_to_here = cumulative - vat_to_here
        base, wanted_vat = net_to_here - previous_net, vat_to_here - previous_vat
        previous_net, previous_vat = net_to_here, vat_to_here
        following: dict[_State, _Path] = {}
        for extra, nets, vat, adjustment in _choices(base, row, bp, level=level, first=index == 0):
            moved = (sum(nets) + adjustment - base, vat - wanted_vat)
            for (net_off, vat_off), (cost, path, adjusted) in states.items():
                state = (net_off + moved[0], vat_off + moved[1])
                if abs(state[0]) > net_spread or abs(state[1]) > _SPREAD:
                    continue
                total = cost + extra
                if state not in following or following[state][0] > total:
                    following[state] = (total, (*path, nets), adjusted + adjustment)
        states = following
    return states.get((0, 0))


@functools.lru_cache(maxsize=65_536)
def design_rate_lines(rows: tuple[RowTarget, ...], bp: int) -> RateLines:
    """Line nets for the rows of one rate whose Hogia net and VAT equal the rate's ``N`` and ``V``.

    Each row starts from its exact share of the rate, taken on cumulative totals (so every prefix of
    the rows is exact); a search over the rows then allows each line a shift of ±2 öre and a split of
    a whole quantity into two lines, keeping every partial sum within a few öre of its exact prefix,
    at the lowest cost (small shifts first, then splits). Only when that finds nothing does a wider
    search also nudge splits further and allow one adjustment line (a discount of a few öre, the
    first row carrying the same öre more), and then one that shifts every line by up to half a VAT
    period. ``exact`` is False only if even that finds nothing; the caller then gets the plain shares
    (and reconciliation against the source names the order).
    """
    if not rows:
        return RateLines((), 0, exact=True)
    found = None
    for level in range(3):  # each level is far slower than the one before; most rates need level 0
        found = _search(rows, bp, level=level)
        if found is not None:
            break
    if found is None:
        cumulative = previous = 0
        plain = []
        for row in rows:
            cumulative += row.gross
            net_to_here = cumulative - vat_in_gross(cumulative, bp)
            plain.append((net_to_here - previous,))
            previous = net_to_here
        return RateLines(tuple(plain), 0, exact=False)
    return RateLines(found[1], found[2], exact=True)
