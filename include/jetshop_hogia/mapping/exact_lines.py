"""Invoice lines that obey the money rule, for a whole batch at once (``per_line`` VAT rounding).

Vectorised first: within each (order, rate) every row takes its exact share of the rate's net, on
cumulative totals (``net(C_j) − net(C_{j−1})`` with ``net(C) = C − VAT in C``), so the rate's nets add up
to ``N_r`` exactly. Where Hogia's per-line VAT on those nets also adds up to ``V_r`` (most rates) that is
the answer; the other rates go one by one through :func:`jetshop_hogia.mapping.money.design_rate_lines`,
which may shift lines by an öre or two, split a whole quantity into two lines or add one adjustment
line. The result has one row per invoice line, pointing at its shop row (``src``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jetshop_hogia.mapping.money import RowTarget, design_rate_lines
from jetshop_hogia.mapping.rounding import div_round_half_up, vat_ore

ADJUST_ORDER = 1_000_000
"""Sort key offset that puts adjustment lines after every shop row of their order."""


def _vat_in_gross(gross: np.ndarray, bp: np.ndarray) -> np.ndarray:
    return div_round_half_up(gross * bp, 10_000 + bp)


def _plain_nets(frame: pd.DataFrame) -> pd.Series:
    """Each row's exact share of its rate's net, on cumulative totals within (order, rate)."""
    bp = frame["bp"].to_numpy(dtype=np.int64)
    cumulative = frame.groupby(["oidx", "bp"], sort=False)["target"].cumsum().to_numpy(dtype=np.int64)
    net_to_here = pd.Series(cumulative - _vat_in_gross(cumulative, bp), index=frame.index)
    before = net_to_here.groupby([frame["oidx"], frame["bp"]], sort=False).shift(1, fill_value=0)
    return net_to_here - before


def _missing_rates(frame: pd.DataFrame, nets: pd.Series) -> pd.Index:
    """(oidx, bp) groups where Hogia's per-line VAT on the plain nets misses the rate's VAT."""
    line_vat = pd.Series(vat_ore(nets.to_numpy(dtype=np.int64), frame["bp"].to_numpy()), index=frame.index)
    grouped = pd.DataFrame(
        {"target": frame["target"], "vat": line_vat, "oidx": frame["oidx"], "bp": frame["bp"]}
    )
    sums = grouped.groupby(["oidx", "bp"], sort=True)[["target", "vat"]].sum()
    wanted = _vat_in_gross(
        sums["target"].to_numpy(dtype=np.int64), sums.index.get_level_values("bp").to_numpy()
    )
    missing: pd.Index = sums.index[sums["vat"].to_numpy() != wanted]
    return missing


def _designed(members: pd.DataFrame, bp: int) -> list[tuple[int, int, str, int, int, int]]:
    """The lines :func:`design_rate_lines` gives one rate of one order:
    (src, order_key, kind, net, quantity_milli, discount_ore) each."""
    sources = members.index.tolist()
    quantity = members["quantity_milli"].to_numpy(dtype=np.int64).tolist()
    discount = members["discount_ore"].to_numpy(dtype=np.int64).tolist()
    position = members["row_pos"].to_numpy(dtype=np.int64).tolist()
    discount_row = members["is_discount"].to_numpy(dtype=bool).tolist()
    targets = tuple(
        RowTarget(int(gross), q, q % 1000 == 0 and q >= 2000 and not is_discount)
        for gross, q, is_discount in zip(members["target"].tolist(), quantity, discount_row, strict=True)
    )
    design = design_rate_lines(targets, bp)
    lines: list[tuple[int, int, str, int, int, int]] = []
    for index, nets in enumerate(design.nets):
        if len(nets) == 1:
            lines.append(
                (sources[index], position[index] * 2, "row", nets[0], quantity[index], discount[index])
            )
        else:  # (quantity − 1) units, then 1 unit; the row's discount is inside the nets
            lines.append((sources[index], position[index] * 2, "row", nets[0], quantity[index] - 1000, 0))
            lines.append((sources[index], position[index] * 2 + 1, "row", nets[1], 1000, 0))
    if design.adjustment:
        lines.append((sources[0], ADJUST_ORDER + 10_000 - bp, "adjust", design.adjustment, 1000, 0))
    return lines


def exact_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per invoice line (columns of ``frame`` plus ``src``, ``kind``, ``net``, ``order_key``)."""
    nets = _plain_nets(frame)
    lines = frame.assign(src=frame.index, kind="row", net=nets, order_key=frame["row_pos"] * 2)
    missing = _missing_rates(frame, nets)
    if not len(missing):
        return lines
    group_key = pd.MultiIndex.from_arrays([frame["oidx"], frame["bp"]])
    redo = group_key.isin(missing)
    designed: list[tuple[int, int, str, int, int, int]] = []
    for _key, members in frame[redo].groupby(["oidx", "bp"], sort=True):
        designed.extend(_designed(members, int(members["bp"].iloc[0])))
    extra = pd.DataFrame(
        designed, columns=["src", "order_key", "kind", "net", "quantity_milli", "discount_ore"]
    )
    source = frame.loc[extra["src"].to_numpy()].reset_index(drop=True)
    extra = source.drop(columns=["quantity_milli", "discount_ore"]).assign(
        src=extra["src"].to_numpy(),
        kind=extra["kind"].to_numpy(),
        net=extra["net"].to_numpy(dtype=np.int64),
        order_key=extra["order_key"].to_numpy(dtype=np.int64),
        quantity_milli=extra["quantity_milli"].to_numpy(dtype=np.int64),
        discount_ore=extra["discount_ore"].to_numpy(dtype=np.int64),
    )
    adjust = extra["kind"].to_numpy() == "adjust"
    extra.loc[adjust, "is_discount"] = True
    extra.loc[adjust, "unit_inc_e4"] = 0
    combined = pd.concat([lines[~redo], extra], ignore_index=True)
    return combined.sort_values(["oidx", "order_key"], kind="stable").reset_index(drop=True)
