"""The entry point: a batch of one shop's orders → invoice drafts + quarantined orders.

Pure and Airflow-free: the DAG task fetches orders and the Hogia indexes, calls ``transform_orders``,
stores the quarantine and hands the drafts to customer resolution and the invoice writer. One bad
order never stops the batch; only a broken configuration (an unloadable plugin) raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from jetshop_hogia.apimodel.jetshop_orders import JetshopOrder
from jetshop_hogia.mapping.allocation import allocate
from jetshop_hogia.mapping.context import MappingContext
from jetshop_hogia.mapping.draft import InvoiceDraft, OrderKey
from jetshop_hogia.mapping.frames import OrderFrames, orders_to_frames
from jetshop_hogia.mapping.invoice import build_drafts
from jetshop_hogia.mapping.plugin_chain import load_plugins, run_plugins
from jetshop_hogia.mapping.reasons import QuarantinedOrder, Reason, ReasonCode
from jetshop_hogia.mapping.validate import validate


@dataclass(frozen=True)
class TransformResult:
    """Drafts for the good orders, the quarantine for the others, and the duplicate copies dropped."""

    drafts: tuple[InvoiceDraft, ...]
    quarantined: tuple[QuarantinedOrder, ...]
    superseded: tuple[OrderKey, ...]


def _drop_superseded(
    frames: OrderFrames, context: MappingContext
) -> tuple[OrderFrames, tuple[OrderKey, ...]]:
    """Keep one copy per order number — the latest changed — so one batch never invoices twice."""
    orders = frames.orders
    by_change = orders.sort_values("changed_date", kind="stable", na_position="first")
    older = by_change["order_number"].notna() & by_change.duplicated("order_number", keep="last")
    dropped = by_change.index[older]
    if not len(dropped):
        return frames, ()
    keys = tuple(
        OrderKey(context.tenant_id, context.shop_id, number) for number in orders.loc[dropped, "order_number"]
    )
    kept = OrderFrames(
        orders.drop(index=dropped),
        frames.rows[~frames.rows["oidx"].isin(dropped)],
        frames.parse_errors[~frames.parse_errors["oidx"].isin(dropped)],
    )
    return kept, keys


def _quarantine(
    orders: pd.DataFrame, failures: pd.DataFrame, context: MappingContext
) -> list[QuarantinedOrder]:
    quarantined = []
    for oidx, group in failures.groupby("oidx", sort=True):
        order = orders.loc[oidx]
        number = order["order_number"] if isinstance(order["order_number"], str) else ""
        order_id: int | None = None if pd.isna(order["order_id"]) else int(order["order_id"])
        reasons = tuple(
            Reason(ReasonCode(code), text) for code, text in zip(group["code"], group["text"], strict=True)
        )
        quarantined.append(QuarantinedOrder(context.tenant_id, context.shop_id, number, order_id, reasons))
    return quarantined


def transform_orders(
    batch: Iterable[JetshopOrder | Mapping[str, Any]], context: MappingContext
) -> TransformResult:
    """Validate and map one shop's orders; see the package docstring for the rules."""
    plugins = load_plugins(context.plugins)
    frames, superseded = _drop_superseded(orders_to_frames(batch), context)
    failures = validate(frames, context, [plugin.article_map() for plugin in plugins])
    failed = frames.orders.index.isin(failures["oidx"])
    good_orders = frames.orders[~failed]
    good_rows = (
        frames.rows[frames.rows["oidx"].isin(good_orders.index)]
        .sort_values(["oidx", "row_pos"])
        .reset_index(drop=True)
    )
    drafts: list[InvoiceDraft] = []
    quarantined = _quarantine(frames.orders, failures, context)
    if len(good_orders):
        whole_krona = good_orders["currency"].map(context.rounds_whole_krona).astype(bool)
        allocation = allocate(
            good_rows, good_orders, vat_rounding=context.vat_rounding, whole_krona=whole_krona
        )
        for draft in build_drafts(good_orders, good_rows, allocation, context):
            final, reasons = run_plugins(draft, plugins, context)
            if final is not None:
                drafts.append(final)
            else:
                key = draft.key
                quarantined.append(
                    QuarantinedOrder(
                        key.tenant_id, key.shop_id, key.order_number, draft.order_id, tuple(reasons)
                    )
                )
    return TransformResult(tuple(drafts), tuple(quarantined), superseded)
