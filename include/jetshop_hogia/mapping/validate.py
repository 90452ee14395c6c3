"""Vectorised checks: which orders of a batch cannot be invoiced, and every reason why.

Each check is a boolean mask over the orders or rows frame plus a message built from whole columns;
there is no Python loop per order. All checks run on all orders so that an order's quarantine entry
lists everything wrong with it at once. Checks that need numbers skip orders whose numbers could not
be read (those already carry ``malformed_order``) instead of adding noise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from jetshop_hogia.apimodel.jetshop_orders import (
    DISCOUNT_ARTICLE,
    FREIGHT_ARTICLE,
    PAYMENT_FEE_ARTICLE,
    RowType,
)
from jetshop_hogia.mapping.context import MappingContext, MatchOn
from jetshop_hogia.mapping.customers import customer_keys, normalised_index
from jetshop_hogia.mapping.frames import OrderFrames, format_ore, local_invoice_dates
from jetshop_hogia.mapping.reasons import ReasonCode
from jetshop_hogia.mapping.rounding import div_round_half_up
from jetshop_hogia.vat import ALLOWED_RATES, rates_on

HELPER_ARTICLES = {
    RowType.FREIGHT.value: FREIGHT_ARTICLE,
    RowType.PAYMENT_FEE.value: PAYMENT_FEE_ARTICLE,
    RowType.DISCOUNT.value: DISCOUNT_ARTICLE,
}
HELPER_LABELS = {
    RowType.FREIGHT.value: "freight",
    RowType.PAYMENT_FEE.value: "payment fee",
    RowType.DISCOUNT.value: "discount",
}
SWEDISH_BP = [int(rate * 10_000) for rate in ALLOWED_RATES]
_BAD = r"\s@<>()\[\]\\,;:\""
EMAIL_PATTERN = rf"(?!\.)(?!.*\.\.)[^{_BAD}]{{1,64}}(?<!\.)@(?:[^{_BAD}._]+\.)+[^{_BAD}._0-9-]{{2,}}"
"""Pragmatic address check: one @, no blanks, a dotted domain with a letter TLD; Swedish letters allowed
(IDN domains such as blomsterhörnan.se are real)."""
FAILURE_COLUMNS = ["oidx", "code", "text"]


TextFn = Callable[[pd.DataFrame], "pd.Series[str]"] | str
Check = tuple["pd.Series[bool]", ReasonCode, TextFn]


def _failures(frame: pd.DataFrame, checks: Iterable[Check]) -> list[pd.DataFrame]:
    """Run masks over ``frame`` (which has an ``oidx`` column); texts are built for failing rows only."""
    found = []
    for mask, code, text in checks:
        flags = mask.fillna(False).to_numpy(dtype=bool)
        if flags.any():
            failing = frame[flags]
            texts = text if isinstance(text, str) else text(failing).to_numpy(dtype=object)
            found.append(
                pd.DataFrame(
                    {"oidx": failing["oidx"].to_numpy(dtype="int64"), "code": code.value, "text": texts}
                )
            )
    return found


def _round_div(values: pd.Series, denominator: int) -> pd.Series:
    """Half-up integer division of a nullable Int64 column; NA stays NA."""
    exact = div_round_half_up(values.fillna(0).to_numpy(dtype=np.int64), denominator)
    return pd.Series(exact, index=values.index, dtype="Int64").mask(values.isna())


def _percent(bp: pd.Series) -> pd.Series:
    return (bp.astype("float64") / 100).map("{:g}".format)


def _label(rows: pd.DataFrame) -> pd.Series:
    return (
        "row "
        + (rows["row_pos"] + 1).astype("str")
        + " ("
        + rows["article_number"].fillna("no article")
        + ")"
    )


def _order_checks(frames: OrderFrames, context: MappingContext) -> list[pd.DataFrame]:
    orders = frames.orders.assign(oidx=frames.orders.index)
    channel_currency = orders["channel_id"].map({cid: ch.currency for cid, ch in context.channels.items()})
    orders["channel_currency"] = channel_currency.astype("str")
    known_channel = orders["channel_id"].isin(list(context.channels))
    allowed = ", ".join(sorted(context.allowed_currencies))
    email_ok = orders["email"].str.fullmatch(EMAIL_PATTERN).fillna(False).astype(bool)
    rule = context.customer_rule
    orders["key"] = customer_keys(orders, rule.match_on)
    existing = list(normalised_index(context.existing_customers, rule.match_on))
    by_email, by_number = rule.match_on == MatchOn.EMAIL, rule.match_on == MatchOn.CUSTOMER_NUMBER
    checks: list[Check] = [
        (~orders["oidx"].isin(frames.rows["oidx"]), ReasonCode.NO_ROWS, "the order has no rows"),
        (
            orders["channel_id"].notna() & ~known_channel,
            ReasonCode.UNKNOWN_CHANNEL,
            lambda f: (
                "channel " + f["channel_id"].astype("str") + f" is not configured for shop {context.shop_id}"
            ),
        ),
        (
            ~orders["currency"].isin(list(context.allowed_currencies)),
            ReasonCode.UNKNOWN_CURRENCY,
            lambda f: "currency " + f["currency"].fillna("(none)") + f" is not allowed (allowed: {allowed})",
        ),
        (
            known_channel & orders["currency"].notna() & (orders["currency"] != channel_currency),
            ReasonCode.CURRENCY_CHANNEL_MISMATCH,
            lambda f: (
                "order currency " + f["currency"] + " differs from channel currency " + f["channel_currency"]
            ),
        ),
        (
            orders["email"].notna() & ~email_ok,
            ReasonCode.INVALID_EMAIL,
            lambda f: "e-mail address '" + f["email"] + "' is not valid",
        ),
        (
            orders["email"].isna() & by_email,
            ReasonCode.INVALID_EMAIL,
            "the order has no e-mail address and customers are matched on e-mail",
        ),
        (
            orders["customer_number"].isna() & by_number,
            ReasonCode.MISSING_CUSTOMER_NUMBER,
            "the order has no customer number and customers are matched on customer number",
        ),
        (
            orders["is_company"] & orders["company_name"].isna(),
            ReasonCode.MISSING_CUSTOMER_NAME,
            "company customer has no company name",
        ),
        (
            ~orders["is_company"] & orders["first_name"].isna() & orders["last_name"].isna(),
            ReasonCode.MISSING_CUSTOMER_NAME,
            "customer has neither first nor last name",
        ),
        (
            orders["key"].notna() & ~orders["key"].isin(existing) & (not rule.create_missing),
            ReasonCode.UNKNOWN_CUSTOMER,
            lambda f: (
                f"no Hogia customer with {rule.match_on.value} " + f["key"] + " and creating customers is off"
            ),
        ),
    ]
    return _failures(orders, checks)


def _valid_on_day(days: pd.Series, vat_bp: pd.Series) -> pd.Series:
    """Whether each row's rate is one :func:`jetshop_hogia.vat.rates_on` gives for its day.

    Asked once per distinct day of the batch (a handful), then matched over whole columns.
    """
    valid = pd.Series(False, index=days.index)
    for day in days.dropna().unique():
        allowed = [int(rate * 10_000) for rate in rates_on(pd.Timestamp(day).date())]
        valid |= (days == day) & vat_bp.isin(allowed).fillna(False).astype(bool)
    return valid


def _row_view(
    frames: OrderFrames, context: MappingContext, article_maps: Sequence[Mapping[str, str]]
) -> pd.DataFrame:
    """The rows plus what the checks derive: Hogia article number, invoice day, valid rate, Jetshop total."""
    rows = frames.rows.copy()
    hogia_article = rows["article_number"]
    for table in article_maps:  # the renames plugins will apply, in their order
        hogia_article = hogia_article.replace(dict(table))
    rows["hogia_article"] = hogia_article
    rows["helper_article"] = rows["row_type"].map(HELPER_ARTICLES)
    order_day = local_invoice_dates(frames.orders["order_date"], context.timezone)
    rows["day"] = order_day.reindex(rows["oidx"]).to_numpy()
    rows["valid_on_day"] = _valid_on_day(rows["day"], rows["vat_bp"])
    # q [0.001] × unit [0.0001] is in 1e-7 units; / 1e5 gives öre, rounded as Jetshop rounds the row
    jetshop_total = _round_div(rows["quantity_milli"] * rows["unit_inc_e4"], 100_000)
    rows["jetshop_total"] = jetshop_total - rows["discount_ore"].fillna(0)
    return rows


def _row_checks(rows: pd.DataFrame, context: MappingContext) -> list[pd.DataFrame]:
    row_type, bp = rows["row_type"], rows["vat_bp"]
    helper = row_type.isin(list(HELPER_ARTICLES))
    goods = row_type == RowType.PRODUCT.value
    discount = row_type == RowType.DISCOUNT.value
    known = sorted(context.known_articles)
    swedish = bp.isin(SWEDISH_BP)

    def unknown_article(f: pd.DataFrame) -> pd.Series:
        renamed = (" (renamed " + f["hogia_article"] + " by plugins)").where(
            f["hogia_article"] != f["article_number"], ""
        )
        return "article " + f["article_number"] + renamed + " is not in Hogia"

    def quantity(f: pd.DataFrame) -> pd.Series:
        return (
            _label(f)
            + ": quantity "
            + (f["quantity_milli"].astype("float64") / 1000).map("{:g}".format)
            + " is not positive"
        )

    def mismatch(f: pd.DataFrame) -> pd.Series:
        return (
            _label(f)
            + ": total "
            + format_ore(f["total_ore"])
            + " ≠ quantity × unit price − discount = "
            + format_ore(f["jetshop_total"])
        )

    checks: list[Check] = [
        (
            ~helper & ~goods,
            ReasonCode.MALFORMED_ORDER,
            lambda f: _label(f) + ": unknown row type " + f["row_type"].fillna("(none)"),
        ),
        (
            goods & rows["article_number"].isna(),
            ReasonCode.UNKNOWN_ARTICLE,
            lambda f: _label(f) + " has no article number",
        ),
        (
            goods & rows["hogia_article"].notna() & ~rows["hogia_article"].isin(known),
            ReasonCode.UNKNOWN_ARTICLE,
            unknown_article,
        ),
        (
            helper & ~rows["helper_article"].isin(known),
            ReasonCode.HELPER_ARTICLE_MISSING,
            lambda f: (
                f["row_type"].map(HELPER_LABELS)
                + " row needs helper article "
                + f["helper_article"]
                + " in Hogia"
            ),
        ),
        (bp.isna(), ReasonCode.VAT_RATE_MISSING, lambda f: _label(f) + " has no VAT rate"),
        (
            bp.notna() & ~swedish,
            ReasonCode.VAT_RATE_NOT_SWEDISH,
            lambda f: _label(f) + ": VAT " + _percent(f["vat_bp"]) + " % is not a Swedish rate",
        ),
        (
            swedish & rows["day"].notna() & ~rows["valid_on_day"],
            ReasonCode.VAT_RATE_NOT_VALID_ON_DATE,
            lambda f: (
                _label(f)
                + ": VAT "
                + _percent(f["vat_bp"])
                + " % is not a Swedish rate on "
                + f["day"].dt.strftime("%Y-%m-%d")
            ),
        ),
        (rows["quantity_milli"] <= 0, ReasonCode.NON_POSITIVE_QUANTITY, quantity),
        (
            ~discount & (rows["unit_inc_e4"] < 0),
            ReasonCode.INVALID_ROW_AMOUNT,
            lambda f: _label(f) + ": negative unit price",
        ),
        (
            ~discount & (rows["total_ore"] < 0),
            ReasonCode.INVALID_ROW_AMOUNT,
            lambda f: _label(f) + ": negative row total",
        ),
        (
            discount & (rows["total_ore"] > 0),
            ReasonCode.INVALID_ROW_AMOUNT,
            lambda f: _label(f) + ": discount row adds money",
        ),
        (
            rows["discount_ore"] < 0,
            ReasonCode.INVALID_ROW_AMOUNT,
            lambda f: _label(f) + ": negative row discount",
        ),
        ((rows["jetshop_total"] - rows["total_ore"]).abs() > 1, ReasonCode.ROW_TOTAL_MISMATCH, mismatch),
    ]
    return _failures(rows, checks)


def _sum_check(frames: OrderFrames) -> list[pd.DataFrame]:
    orders, rows = frames.orders.assign(oidx=frames.orders.index), frames.rows
    orders["rows_sum"] = rows.groupby("oidx")["total_ore"].sum().reindex(orders.index)
    unreadable = rows["total_ore"].isna().groupby(rows["oidx"]).any().reindex(orders.index, fill_value=True)
    unreadable = unreadable.astype(bool) | orders["total_ore"].isna()

    def text(f: pd.DataFrame) -> pd.Series:
        currency = " " + f["currency"].fillna("")
        return (
            "rows sum to "
            + format_ore(f["rows_sum"])
            + currency
            + ", order total is "
            + format_ore(f["total_ore"])
            + currency
        )

    return _failures(
        orders,
        [
            (
                ~unreadable & ((orders["rows_sum"] - orders["total_ore"]).abs() > 1),
                ReasonCode.ROWS_DO_NOT_SUM,
                text,
            )
        ],
    )


def validate(
    frames: OrderFrames, context: MappingContext, article_maps: Sequence[Mapping[str, str]] = ()
) -> pd.DataFrame:
    """Every failed check as rows ``(oidx, code, text)``, grouped by order in check order.

    ``article_maps`` are the article renames declared by the tenant's plugins, applied in order before
    looking articles up in Hogia.
    """
    row_checks = _row_checks(_row_view(frames, context, article_maps), context)
    checks = [frames.parse_errors, *_order_checks(frames, context), *row_checks, *_sum_check(frames)]
    failures = pd.concat([check for check in checks if len(check)] or [pd.DataFrame(columns=FAILURE_COLUMNS)])
    failures = failures.drop_duplicates().astype({"oidx": "int64"})
    return failures.sort_values("oidx", kind="stable").reset_index(drop=True)
