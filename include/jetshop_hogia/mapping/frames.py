"""Flatten a batch of Jetshop orders into two pandas frames with money as integer öre.

Money never enters a frame as float: amounts become int64 öre (``*_ore``), unit prices int64 in units
of 0.0001 (``*_e4``, Jetshop sends 4 decimals), quantities int64 thousandths (``quantity_milli``) and
VAT rates int64 basis points (``vat_bp``: 2500 = 25 %). Every later check and sum is then exact integer
arithmetic on whole columns. Reading the pydantic objects (or their dicts) is the one per-order Python
loop: it has to touch each object anyway, so each value is converted on the way in.

A value that cannot be read (``"abc"`` as a quantity, a naive timestamp, an absurd amount) does not
stop the batch: it becomes a ``malformed_order`` reason for that order and NA in the frame.
Value limits keep every product of two columns inside int64 (q ≤ 100 000, unit ≤ 1 000 000,
amounts ≤ 100 000 000 in the order's currency) and dates inside pandas' range (years 1900–2200): an
extreme value (year 9999, 1e30) is a quarantine reason, never a crash.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd
from pydantic import BaseModel

from jetshop_hogia.mapping.reasons import ReasonCode

QUANTITY_LIMIT = 100_000 * 1000
UNIT_PRICE_LIMIT = 1_000_000 * 10_000
AMOUNT_LIMIT = 100_000_000 * 100
VAT_LIMIT = 10_000
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
"""Order dates outside these years are refused as malformed (pandas' nanosecond timestamps end in 2262)."""

ORDER_TEXT_FIELDS = ("order_number", "currency", "email", "payment_method")
CUSTOMER_TEXT_FIELDS = (
    "customer_number",
    "company_name",
    "organisation_number",
    "vat_number",
    "first_name",
    "last_name",
    "phone",
    "billing_address",
    "billing_co",
    "billing_zip_code",
    "billing_city",
    "billing_country_code",
)
SHIP_TO_FIELDS = (
    "company",
    "first_name",
    "last_name",
    "address",
    "co",
    "zip_code",
    "city",
    "country_code",
    "mobile_phone",
)
ROW_TEXT_FIELDS = ("row_type", "article_number", "name", "variant_value")
# (frame column, source attribute, decimal exponent, limit)
ROW_NUMBER_FIELDS = (
    ("quantity_milli", "quantity", 3, QUANTITY_LIMIT),
    ("unit_inc_e4", "unit_price_inc_vat", 4, UNIT_PRICE_LIMIT),
    ("discount_ore", "discount_inc_vat", 2, AMOUNT_LIMIT),
    ("total_ore", "total_inc_vat", 2, AMOUNT_LIMIT),
    ("vat_bp", "vat_rate", 4, VAT_LIMIT),
)


@dataclass(frozen=True)
class OrderFrames:
    """One row per order (index ``oidx`` = position in the batch) and one row per order row."""

    orders: pd.DataFrame
    rows: pd.DataFrame
    parse_errors: pd.DataFrame


def _get(source: Any, name: str) -> Any:
    if isinstance(source, BaseModel):  # the common case first: a plain class check is cheap
        return getattr(source, name, None)
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _scaled(value: Any, exponent: int, limit: int) -> int | None:
    """``value × 10^exponent`` as an int (half-up); raises ValueError when unreadable or absurd."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        scaled = int(number.scaleb(exponent).to_integral_value(rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if abs(scaled) > limit:
        raise ValueError(f"{value!r} is out of range")
    return scaled


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:  # year 9999 would crash pandas (ns timestamps)
        raise ValueError(f"{moment.date().isoformat()} is out of range ({EARLIEST_YEAR}–{LATEST_YEAR})")
    return moment


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


class _Collector:
    """Column lists for one frame plus the parse errors met while filling them."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {}
        self.errors: list[tuple[int, str, str]] = []

    def add(self, column: str, value: Any) -> None:
        self.columns.setdefault(column, []).append(value)

    def read(self, oidx: int, column: str, label: str, convert: Callable[[], Any], *, required: bool) -> None:
        try:
            value = convert()
        except ValueError as exc:
            self.errors.append((oidx, ReasonCode.MALFORMED_ORDER.value, f"{label}: {exc}"))
            value = None
        else:
            if value is None and required:
                self.errors.append((oidx, ReasonCode.MALFORMED_ORDER.value, f"{label} is missing"))
        self.add(column, value)


def _collect_order(oidx: int, order: Any, out: _Collector) -> None:
    customer = _get(order, "customer")
    ship_to = _get(order, "ship_to")
    for name in ORDER_TEXT_FIELDS:
        out.add(name, _text(_get(order, name)))
    out.columns["email"][-1] = out.columns["email"][-1] or _text(_get(customer, "email"))
    if out.columns["order_number"][-1] is None:
        out.errors.append((oidx, ReasonCode.MALFORMED_ORDER.value, "order_number is missing"))
    out.read(oidx, "order_id", "order_id", lambda: _scaled(_get(order, "order_id"), 0, 2**62), required=True)
    out.read(
        oidx, "channel_id", "channel_id", lambda: _scaled(_get(order, "channel_id"), 0, 2**62), required=True
    )
    total = _get(order, "total_inc_vat")
    out.read(oidx, "total_ore", "total_inc_vat", lambda: _scaled(total, 2, AMOUNT_LIMIT), required=True)
    out.read(
        oidx,
        "total_vat_ore",
        "total_vat",
        lambda: _scaled(_get(order, "total_vat"), 2, AMOUNT_LIMIT),
        required=False,
    )
    out.read(oidx, "order_date", "order_date", lambda: _aware(_get(order, "order_date")), required=True)
    out.read(
        oidx, "changed_date", "changed_date", lambda: _aware(_get(order, "changed_date")), required=False
    )
    out.add("is_company", _flag(_get(customer, "is_company")))
    for name in CUSTOMER_TEXT_FIELDS:
        out.add(name, _text(_get(customer, name)))
    for name in SHIP_TO_FIELDS:
        out.add(f"ship_{name}", _text(_get(ship_to, name)))


def _collect_rows(oidx: int, order: Any, out: _Collector) -> None:
    for position, row in enumerate(_get(order, "rows") or ()):
        out.add("oidx", oidx)
        out.add("row_pos", position)
        out.add("row_id", _get(row, "row_id"))
        for name in ROW_TEXT_FIELDS:
            out.add(name, _text(_get(row, name)))
        for column, source, exponent, limit in ROW_NUMBER_FIELDS:
            convert = functools.partial(_scaled, _get(row, source), exponent, limit)
            # a missing VAT rate is its own reason (vat_rate_missing), not a malformed order
            required = column in ("quantity_milli", "unit_inc_e4", "total_ore")
            out.read(oidx, column, f"row {position + 1} {source}", convert, required=required)


INT_COLUMNS = ("order_id", "channel_id", "total_ore", "total_vat_ore")
ORDER_COLUMNS = (
    *ORDER_TEXT_FIELDS,
    *INT_COLUMNS,
    "order_date",
    "changed_date",
    "is_company",
    *CUSTOMER_TEXT_FIELDS,
    *(f"ship_{name}" for name in SHIP_TO_FIELDS),
)
TEXT_COLUMNS = (*ORDER_TEXT_FIELDS, *CUSTOMER_TEXT_FIELDS, *(f"ship_{name}" for name in SHIP_TO_FIELDS))
ROW_INT_COLUMNS = tuple(column for column, *_ in ROW_NUMBER_FIELDS)
ROW_COLUMNS = ("oidx", "row_pos", "row_id", *ROW_TEXT_FIELDS, *ROW_INT_COLUMNS)


def orders_to_frames(batch: Iterable[Any]) -> OrderFrames:
    """Flatten ``JetshopOrder`` objects (or their ``model_dump()`` dicts) into frames."""
    orders, rows = _Collector(), _Collector()
    count = 0
    for oidx, order in enumerate(batch):
        count += 1
        _collect_order(oidx, order, orders)
        _collect_rows(oidx, order, rows)
    index = pd.RangeIndex(count, name="oidx")
    order_frame = pd.DataFrame(
        {column: orders.columns.get(column, []) for column in ORDER_COLUMNS}, index=index
    )
    for column in TEXT_COLUMNS:
        order_frame[column] = order_frame[column].astype("str").where(order_frame[column].notna())
    for column in INT_COLUMNS:
        order_frame[column] = pd.array(orders.columns.get(column, []), dtype="Int64")
    for column in ("order_date", "changed_date"):
        order_frame[column] = pd.to_datetime(order_frame[column], utc=True).astype("datetime64[ns, UTC]")
    order_frame["is_company"] = order_frame["is_company"].astype(bool)
    row_frame = pd.DataFrame({column: rows.columns.get(column, []) for column in ROW_COLUMNS})
    for column in ("oidx", "row_pos"):
        row_frame[column] = row_frame[column].astype("int64")
    for column in ROW_TEXT_FIELDS:
        row_frame[column] = row_frame[column].astype("str").where(row_frame[column].notna())
    for column in ROW_INT_COLUMNS:
        row_frame[column] = pd.array(rows.columns.get(column, []), dtype="Int64")
    errors = pd.DataFrame(orders.errors + rows.errors, columns=["oidx", "code", "text"])
    return OrderFrames(order_frame, row_frame, errors)


def local_invoice_dates(moments: pd.Series, timezone: str) -> pd.Series:
    """The calendar day of each aware timestamp in ``timezone`` (naive midnight), e.g. the invoice date.

    An order placed 2026-03-31 23:30 UTC is invoiced on 2026-04-01 in Stockholm, which decides its
    VAT rate for food — so the date is taken in local time, never from the UTC date.
    """
    local: pd.Series = moments.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize()
    return local


def format_ore(values: pd.Series) -> pd.Series:
    """Öre as ``"412.50"`` / ``"-20.00"`` text for messages, without going through float."""
    ore = values.fillna(0).astype("int64")
    magnitude = ore.abs()
    sign = pd.Series("", index=ore.index, dtype="str").mask(ore < 0, "-")
    text: pd.Series = (
        sign + (magnitude // 100).astype("str") + "." + (magnitude % 100).astype("str").str.zfill(2)
    )
    return text
