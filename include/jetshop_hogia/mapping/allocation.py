"""From shop rows (totals incl. VAT) to Hogia lines (ex-VAT unit prices) without losing an öre.

The shop fixes each row's total *including* VAT; Hogia computes VAT from *net* line amounts (MODEL,
``apimodel.hogia_amounts.invoice_totals``). The lines must obey the money rule (docs/MONEY.md): the
invoice adds up to what the customer paid, with VAT per rate equal to the VAT in the rate's total.
Vectorised over the whole batch:

1. Targets: each row's total incl. VAT; the ≤ 1 öre by which the rows may miss the order total
   (tolerated by validation) goes to the order's largest row with a non-zero rate
   (``money.gap_row``), so the invoice aims at what the customer paid and a 0 % row absorbs nothing.
2. Line nets. ``per_line`` VAT rounding (the MODEL, the default): ``exact_lines`` — exact per-rate
   shares, and the money rule's line design for the rates that need it (shifts of an öre, a split
   quantity, an adjustment line). ``per_rate`` (a switch for ledgers that round VAT once per rate,
   which cannot always meet the rule): per rate, pick the net N whose gross N + VAT(N) equals the
   rate's target; when unreachable take the net 1 öre under or over, alternating within the order,
   cancel a leftover miss on another rate where possible, and spread each rate's net over its rows.
3. Express each line's net n as Hogia line fields with 2-decimal prices: quantity q (discount rows as
   −q: "a credit is a negative quantity"), unitPrice u ≥ 0 and discountAmount d ≥ 0 such that
   round(q × u − d, 2) = n. u = ⌈n / q⌉ (⌊|n| / |q|⌋ for negative q) — or the list price ex VAT when
   the shop gave the row a discount, so the invoice shows price and discount as the shop did — and
   d = q × u − n, the shop's row discount ex VAT plus less than q öre of remainder.
4. Recompute every line amount, VAT and gross from those fields exactly as Hogia will: the expected
   totals are what Hogia computes from the body (property-tested against ``invoice_totals``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jetshop_hogia.mapping.context import VatRounding
from jetshop_hogia.mapping.exact_lines import exact_lines
from jetshop_hogia.mapping.rounding import (
    IntArray,
    ceil_div,
    div_round_half_up,
    line_net_ore,
    vat_ore,
    whole_krona_rounding,
)


@dataclass(frozen=True)
class Allocation:
    """Line fields per row, VAT per (order, rate) and totals per order, all int64 öre."""

    lines: pd.DataFrame
    rates: pd.DataFrame
    totals: pd.DataFrame


def _gross(net: IntArray, bp: IntArray) -> IntArray:
    return net + vat_ore(net, bp)


def _unit_nets(target: IntArray, bp: IntArray, order_total: IntArray, unit_order: IntArray) -> IntArray:
    """Net per rounding unit whose gross hits ``target``, balancing unavoidable 1-öre misses."""
    first_try = div_round_half_up(target * 10_000, 10_000 + bp)
    error = _gross(first_try, bp) - target
    second_try = first_try - error
    second_error = _gross(second_try, bp) - target
    exact = np.where(error == 0, first_try, second_try)
    missed = (error != 0) & (second_error != 0)
    miss_rank = pd.Series(missed.astype(np.int64)).groupby(unit_order).cumsum().to_numpy() - 1
    sign = np.where(order_total < 0, -1, 1)
    keeps_half_up = np.abs(order_total) % 100 == 50
    first_direction = np.where(keeps_half_up, 1, -1) * sign
    direction = np.where(miss_rank % 2 == 0, first_direction, -first_direction)
    balanced = np.where(np.sign(error) == direction, first_try, second_try)
    chosen = np.asarray(np.where(missed, balanced, exact), dtype=np.int64)
    return _compensate(chosen, target, bp, unit_order)


def _compensate(net: IntArray, target: IntArray, bp: IntArray, unit_order: IntArray) -> IntArray:
    """Cancel an order's leftover 1-öre miss by moving one exactly-hit unit 1 öre the other way.

    Only the order total is what the customer paid; a unit's own gross may then differ from the shop's
    by one öre (the VAT summary), which is the lesser evil against "shop and ledger differ by 1 öre".
    """
    error = _gross(net, bp) - target
    leftover = pd.Series(error).groupby(unit_order).transform("sum").to_numpy()
    shifted = net - leftover
    usable = (leftover != 0) & (error == 0) & (_gross(shifted, bp) - target == -leftover)
    first_usable = usable & (pd.Series(usable.astype(np.int64)).groupby(unit_order).cumsum().to_numpy() == 1)
    return np.asarray(np.where(first_usable, shifted, net), dtype=np.int64)


def _spread(frame: pd.DataFrame, unit_net: IntArray) -> IntArray:
    """Split each unit's net over its rows: proportional base, remainder to the largest rows."""
    base = div_round_half_up(frame["target"].to_numpy() * 10_000, 10_000 + frame["bp"].to_numpy())
    unit = frame["unit"].to_numpy()
    unit_sum = np.zeros(len(unit_net), dtype=np.int64)
    np.add.at(unit_sum, unit, base)
    residual = unit_net - unit_sum
    size = np.bincount(unit, minlength=len(unit_net)).astype(np.int64)
    rank = (
        frame.assign(size_key=-frame["target"].abs())
        .sort_values(["unit", "size_key", "row_pos"], kind="stable")
        .groupby("unit")
        .cumcount()
        .reindex(frame.index)
        .to_numpy()
    )
    row_residual, row_size = residual[unit], size[unit]
    share = np.sign(row_residual) * (np.abs(row_residual) // row_size)
    leftover = np.abs(row_residual) - np.abs(share) * row_size
    return np.asarray(base + share + np.sign(row_residual) * (rank < leftover), dtype=np.int64)


def _line_fields(frame: pd.DataFrame, net: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(quantity in thousandths, unit price öre, discount öre) with round(q × u − d) = net."""
    is_discount_row = frame["is_discount"].to_numpy()
    quantity = np.where(is_discount_row, -1, 1) * frame["quantity_milli"].to_numpy()
    bp = frame["bp"].to_numpy()
    list_price = div_round_half_up(np.abs(frame["unit_inc_e4"].to_numpy()) * 100, 10_000 + bp)
    up = ceil_div(net * 1000, np.abs(quantity))
    up = np.where(frame["discount_ore"].to_numpy() > 0, np.maximum(up, list_price), up)
    down = (-net * 1000) // np.abs(quantity)
    unit_price = np.where(quantity > 0, up, down)
    discount = div_round_half_up(quantity * unit_price, 1000) - net
    return quantity, np.asarray(unit_price, dtype=np.int64), discount


def _gap_targets(frame: pd.DataFrame, order_total: pd.Series) -> pd.Series:
    """Each row's target incl. VAT; the order's ≤ 1 öre gap goes to its largest non-zero-rate row
    (``money.gap_row``: a 0 % row never absorbs an öre unless the order has nothing else)."""
    gap = order_total - frame.groupby("oidx")["total_ore"].sum().reindex(order_total.index)
    preference = np.where(
        frame["bp"].to_numpy() != 0, frame["total_ore"].to_numpy(), frame["total_ore"] - 10**13
    )
    largest = pd.Series(preference, index=frame.index).groupby(frame["oidx"]).idxmax()
    target = frame["total_ore"].copy()
    target.loc[largest.to_numpy()] += gap.reindex(largest.index).to_numpy()
    return target


def _per_rate_nets(frame: pd.DataFrame, order_total: pd.Series) -> IntArray:
    """``per_rate`` VAT rounding: the original unit-based allocation (see the module docstring)."""
    frame["unit"] = frame.groupby(["oidx", "bp"], sort=True).ngroup()
    units = frame.groupby("unit").agg(oidx=("oidx", "first"), bp=("bp", "first"), target=("target", "sum"))
    unit_total = np.asarray(order_total.reindex(units["oidx"]).to_numpy(), dtype=np.int64)
    unit_net = _unit_nets(
        units["target"].to_numpy(dtype=np.int64),
        units["bp"].to_numpy(dtype=np.int64),
        unit_total,
        units["oidx"].to_numpy(dtype=np.int64),
    )
    return _spread(frame, unit_net)


def allocate(
    rows: pd.DataFrame, orders: pd.DataFrame, *, vat_rounding: VatRounding, whole_krona: pd.Series
) -> Allocation:
    """Lines and expected totals for valid orders (``rows`` sorted by ``oidx, row_pos``).

    ``lines`` has one row per invoice line: ``src`` is the shop row it comes from (a split row gives
    two lines) and ``kind`` is ``row`` or ``adjust`` (the money rule's per-rate adjustment line).
    """
    frame = rows[
        ["oidx", "row_pos", "quantity_milli", "unit_inc_e4", "discount_ore", "total_ore", "vat_bp"]
    ].astype("int64")
    frame = frame.rename(columns={"vat_bp": "bp"}).reset_index(drop=True)
    frame["is_discount"] = (rows["row_type"] == "Discount").to_numpy()
    order_total = orders["total_ore"].astype("int64")
    frame["target"] = _gap_targets(frame, order_total)
    if vat_rounding == VatRounding.PER_RATE:
        lines = frame.assign(src=frame.index, kind="row", net=_per_rate_nets(frame, order_total))
    else:
        lines = exact_lines(frame)
    quantity, unit_price, discount = _line_fields(lines, lines["net"].to_numpy(dtype=np.int64))
    lines = lines.assign(
        line_quantity_milli=quantity, unit_price_ore=unit_price, discount_amount_ore=discount
    ).reset_index(drop=True)
    lines["line_net_ore"] = line_net_ore(quantity, unit_price, discount)
    lines["line_vat_ore"] = vat_ore(lines["line_net_ore"].to_numpy(), lines["bp"].to_numpy())
    rates = lines.groupby(["oidx", "bp"], sort=True).agg(
        net_ore=("line_net_ore", "sum"), vat_ore=("line_vat_ore", "sum")
    )
    rates = rates.reset_index()
    if vat_rounding == VatRounding.PER_RATE:
        rates["vat_ore"] = vat_ore(rates["net_ore"].to_numpy(), rates["bp"].to_numpy())
    totals = rates.groupby("oidx")[["net_ore", "vat_ore"]].sum().reindex(order_total.index)
    totals["gross_before_ore"] = totals["net_ore"] + totals["vat_ore"]
    rounding = whole_krona_rounding(totals["gross_before_ore"].to_numpy())
    totals["rounding_ore"] = np.where(whole_krona.reindex(totals.index).to_numpy(), rounding, 0)
    totals["gross_ore"] = totals["gross_before_ore"] + totals["rounding_ore"]
    return Allocation(lines, rates, totals)
