"""Jetshop orders, order statuses and change lists (MODEL — see docs/API_MODEL.md).

Only ``OrderData`` and its ship-to/customer field names are public; everything else here is this
project's model, built from Jetshop's public vocabulary. Datetimes are aware (UTC) inside the program;
the SOAP codec converts them to and from the naive Stockholm local time that Jetshop writes.
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FREIGHT_ARTICLE = "fraktavg"
PAYMENT_FEE_ARTICLE = "expavg"
DISCOUNT_ARTICLE = "rabatt"
"""Helper article numbers the merchant keeps in Hogia Smart for freight, fees and discounts (FACT)."""


class OrderStatus(enum.IntEnum):
    """The statuses every simulated shop starts with; real shops configure their own ids."""

    NEW = 1
    PROCESSING = 2
    DELIVERED = 3
    INVOICED = 4
    PAID = 5
    CANCELLED = 6
    ON_HOLD = 7


class RowType(enum.StrEnum):
    """What an order row is: goods, or one of the fee/discount rows."""

    PRODUCT = "Product"
    FREIGHT = "Freight"
    PAYMENT_FEE = "PaymentFee"
    DISCOUNT = "Discount"


class PaymentMethod(enum.StrEnum):
    """Payment methods; only Klarna and DIBS support capture on delivery."""

    KLARNA = "Klarna"
    DIBS = "DIBS"
    INVOICE = "Invoice"
    CARD = "Card"


class CaptureResult(enum.StrEnum):
    """Outcome of a payment capture requested with a status change."""

    NONE = "None"
    CAPTURED = "Captured"
    ALREADY_CAPTURED = "AlreadyCaptured"
    FAILED = "Failed"
    NOT_SUPPORTED = "NotSupported"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
"""Order and change times outside these years are data errors (year 9999 overflows pandas' datetimes)."""
MAX_AMOUNT = Decimal("1e9")
"""Amounts and quantities at or beyond this magnitude (1e30 …) are data errors, not orders. (Quantities
that are not positive are the mapping's rule — ``ReasonCode.NON_POSITIVE_QUANTITY`` — not the wire's.)"""
MAX_ORDER_NUMBER_LENGTH = 64
"""The ledger's order number column length."""


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware inside the program")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"year {value.year} is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    return value


def normalise_order_number(value: object) -> str:
    """THE normalisation of an order number, applied wherever one enters the program (here, once).

    Surrounding blanks are removed (``" A100 "`` and ``"A100"`` are one order: the ledger key, the
    quarantine key and Hogia's ``customerOrderNumber`` must agree on every run); an empty number, a
    control character or one longer than the ledger column is a data error (the record is quarantined).
    """
    if not isinstance(value, str):
        raise ValueError("an order number must be text")
    number = value.strip()
    if not number:
        raise ValueError("the order number is empty")
    if any(unicodedata.category(char).startswith("C") for char in number):
        raise ValueError("the order number holds a control character")
    if len(number) > MAX_ORDER_NUMBER_LENGTH:
        raise ValueError(f"the order number is longer than {MAX_ORDER_NUMBER_LENGTH} characters")
    return number


def _bounded(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise ValueError(f"{value} is not a plausible amount")
    return value


class OrderRow(_Model):
    """One order row; ``total_inc_vat = round(quantity × unit_price_inc_vat − discount_inc_vat, 2)``."""

    row_id: int
    row_type: RowType
    article_number: str
    name: str
    variant_value: str | None = None
    quantity: Decimal
    unit_price_inc_vat: Decimal
    unit_price_ex_vat: Decimal
    vat_rate: Decimal = Field(description="a fraction: 0.25 for 25 %")
    discount_inc_vat: Decimal = Decimal("0")
    total_inc_vat: Decimal

    _amounts = field_validator(
        "quantity",
        "unit_price_inc_vat",
        "unit_price_ex_vat",
        "vat_rate",
        "discount_inc_vat",
        "total_inc_vat",
    )(_bounded)


class OrderCustomer(_Model):
    """The buyer as the shop knows them (private person or company)."""

    customer_id: int | None = None
    customer_number: str | None = None
    is_company: bool = False
    company_name: str | None = None
    organisation_number: str | None = None
    vat_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    billing_address: str | None = None
    billing_co: str | None = None
    billing_zip_code: str | None = None
    billing_city: str | None = None
    billing_country_code: str | None = None


class ShipTo(_Model):
    """Delivery address (FACT field names ``ShipTo…`` on ``OrderData``)."""

    company: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    address: str | None = None
    co: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    mobile_phone: str | None = None


class JetshopOrder(_Model):
    """A whole order as ``Order_Get`` returns it."""

    order_id: int
    order_number: str
    channel_id: int
    order_date: datetime
    changed_date: datetime
    status_id: int
    status_name: str
    currency: str
    total_inc_vat: Decimal
    total_vat: Decimal
    customer_id: int | None = None
    email: str | None = None
    customer: OrderCustomer
    ship_to: ShipTo = ShipTo()
    payment_method: str
    payment_status: str = "NotApplicable"
    delivery_method: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    rows: tuple[OrderRow, ...] = ()

    _aware = field_validator("order_date", "changed_date")(_require_aware)
    _number = field_validator("order_number", mode="before")(normalise_order_number)
    _amounts = field_validator("total_inc_vat", "total_vat")(_bounded)


class OrderHeader(_Model):
    """One line of ``Order_GetChangedList``: enough to page and to fetch the order."""

    order_id: int
    order_number: str
    channel_id: int
    status_id: int
    changed_date: datetime

    _aware = field_validator("changed_date")(_require_aware)
    _number = field_validator("order_number", mode="before")(normalise_order_number)


class OrderPage(_Model):
    """A page of changed orders; ``has_more`` says whether to ask again after the last header."""

    orders: tuple[OrderHeader, ...]
    has_more: bool


class OrderStatusInfo(_Model):
    """A configured order status of a shop."""

    status_id: int
    name: str


class OrderStatusUpdate(_Model):
    """One status change sent back to the shop, with the seed's options."""

    order_id: int
    status_id: int
    send_mail_to_customer: bool = False
    tracking_number: str | None = None
    tracking_url: str | None = None
    capture_payment: bool = False


class OrderStatusResult(_Model):
    """Per-item outcome of ``Order_SetStatus``."""

    order_id: int
    success: bool
    message: str | None = None
    capture_result: CaptureResult = CaptureResult.NONE


class ProductChange(_Model):
    """One line of ``Product_GetChangedList``."""

    article_number: str
    product_id: int
    modified_date: datetime

    _aware = field_validator("modified_date")(_require_aware)


class ProductChangePage(_Model):
    """A page of changed products."""

    products: tuple[ProductChange, ...]
    has_more: bool
