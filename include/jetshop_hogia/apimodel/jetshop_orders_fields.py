"""Element tables of the modelled Jetshop order types (MODEL — docs/API_MODEL.md), in wire order.

Each line maps one XML element to one attribute of the pydantic models in ``jetshop_orders.py`` and
says how its value is written; ``jetshop_orders_xml`` walks these tables in both directions, so the
element order of ``OrderData`` and friends is defined exactly once.
"""

from __future__ import annotations

from jetshop_hogia.apimodel.jetshop_xml_kinds import Kind

Field = tuple[str, str, Kind]
"""(XML element name, model attribute, value kind)."""

CUSTOMER: tuple[Field, ...] = (
    ("CustomerId", "customer_id", "int"),
    ("CustomerNumber", "customer_number", "str"),
    ("IsCompany", "is_company", "bool"),
    ("CompanyName", "company_name", "str"),
    ("OrganisationNumber", "organisation_number", "str"),
    ("VatNumber", "vat_number", "str"),
    ("FirstName", "first_name", "str"),
    ("LastName", "last_name", "str"),
    ("Email", "email", "str"),
    ("Phone", "phone", "str"),
    ("BillingAddress", "billing_address", "str"),
    ("BillingCo", "billing_co", "str"),
    ("BillingZipCode", "billing_zip_code", "str"),
    ("BillingCity", "billing_city", "str"),
    ("BillingCountryCode", "billing_country_code", "str"),
)
SHIP_TO: tuple[Field, ...] = tuple(
    (f"ShipTo{xml}", attr, "str")
    for xml, attr in (
        ("Company", "company"),
        ("FirstName", "first_name"),
        ("LastName", "last_name"),
        ("Address", "address"),
        ("Co", "co"),
        ("ZipCode", "zip_code"),
        ("City", "city"),
        ("CountryCode", "country_code"),
        ("MobilePhone", "mobile_phone"),
    )
)
ORDER_HEAD: tuple[Field, ...] = (
    ("OrderId", "order_id", "int"),
    ("OrderNumber", "order_number", "str"),
    ("ChannelId", "channel_id", "int"),
    ("OrderDate", "order_date", "dt"),
    ("ChangedDate", "changed_date", "dt"),
    ("StatusId", "status_id", "int"),
    ("StatusName", "status_name", "str"),
    ("Currency", "currency", "str"),
    ("TotalIncVat", "total_inc_vat", "dec"),
    ("TotalVat", "total_vat", "dec"),
    ("CustomerId", "customer_id", "int"),
    ("Email", "email", "str"),
)
ORDER_TAIL: tuple[Field, ...] = (
    ("PaymentMethod", "payment_method", "str"),
    ("PaymentStatus", "payment_status", "str"),
    ("DeliveryMethod", "delivery_method", "str"),
    ("TrackingNumber", "tracking_number", "str"),
    ("TrackingUrl", "tracking_url", "str"),
)
ROW: tuple[Field, ...] = (
    ("RowId", "row_id", "int"),
    ("RowType", "row_type", "str"),
    ("ArticleNumber", "article_number", "str"),
    ("Name", "name", "str"),
    ("VariantValue", "variant_value", "str"),
    ("Quantity", "quantity", "dec"),
    ("UnitPriceIncVat", "unit_price_inc_vat", "dec"),
    ("UnitPriceExVat", "unit_price_ex_vat", "dec"),
    ("VatRate", "vat_rate", "vat"),
    ("DiscountIncVat", "discount_inc_vat", "dec"),
    ("TotalIncVat", "total_inc_vat", "dec"),
)
HEADER: tuple[Field, ...] = (
    ("OrderId", "order_id", "int"),
    ("OrderNumber", "order_number", "str"),
    ("ChannelId", "channel_id", "int"),
    ("StatusId", "status_id", "int"),
    ("ChangedDate", "changed_date", "dt"),
)
STATUS_UPDATE: tuple[Field, ...] = (
    ("OrderId", "order_id", "int"),
    ("StatusId", "status_id", "int"),
    ("SendMailToCustomer", "send_mail_to_customer", "bool"),
    ("TrackingNumber", "tracking_number", "str"),
    ("TrackingUrl", "tracking_url", "str"),
    ("CapturePayment", "capture_payment", "bool"),
)
STATUS_RESULT: tuple[Field, ...] = (
    ("OrderId", "order_id", "int"),
    ("Success", "success", "bool"),
    ("Message", "message", "str"),
    ("CaptureResult", "capture_result", "str"),
)
PRODUCT_CHANGE: tuple[Field, ...] = (
    ("ArticleNumber", "article_number", "str"),
    ("ProductId", "product_id", "int"),
    ("ModifiedDate", "modified_date", "dt"),
)

_NOT_PERSONAL_TEXT = frozenset(
    {"OrderNumber", "RowType", "ArticleNumber", "Currency", "StatusName", "PaymentMethod", "PaymentStatus"}
)
REPORTABLE_ELEMENTS: frozenset[str] = frozenset(
    xml
    for table in (ORDER_HEAD, ORDER_TAIL, ROW, HEADER, CUSTOMER)
    for xml, _attr, kind in table
    if kind != "str" or xml in _NOT_PERSONAL_TEXT
)
"""Elements whose values may appear in a quarantine reason or a log: numbers, times, codes and ids.
Names, addresses, e-mails, phone numbers and free text are personal data and are never repeated."""
MAX_REPORTED_VALUE = 40


def reportable_value(element_name: str, value: str) -> str:
    """``value`` as it may be shown for ``element_name``: quoted and cut short, or withheld."""
    if element_name not in REPORTABLE_ELEMENTS:
        return "(value withheld: may be personal data)"
    shown = value if len(value) <= MAX_REPORTED_VALUE else value[: MAX_REPORTED_VALUE - 1] + "…"
    return repr(shown)
