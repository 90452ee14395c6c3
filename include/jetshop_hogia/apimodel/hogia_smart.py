"""Hogia Smart REST resources (MODEL over FACT conventions — see docs/API_MODEL.md).

Shared by the Hogia simulator and by the HogiaSmartHook/transform, so both read and write the same wire
shapes: camelCase JSON (``populate_by_name`` lets Python code use snake_case), every entity with
``id``/``version``/``rowVersion``/``createdDate``/``updatedDate``, zone-less local times, ``YYYY-MM-DD``
dates. Inside the program datetimes are aware UTC; :data:`LocalDateTime` converts at the edge.

Money and quantities are :class:`~decimal.Decimal` and go out as JSON *numbers*. Real Nordic APIs
sometimes send numbers as strings (FACT, integrators' complaints); the simulator never does, but these
models accept ``"12.50"`` as well as ``12.5`` (pydantic lax mode), so a hook parsing real answers with
them is tolerant by construction.

The wire base (``hogia_base``), the amount and OCR rules (``hogia_amounts``) and the invoice models
(``hogia_invoices``) are split into sibling modules to keep each small, and re-exported here: this
module is the one import for everything Hogia-shaped, and the one place to change with real docs.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from jetshop_hogia.apimodel.hogia_amounts import (
    KRONA,
    OERE,
    RoundingMode,
    ex_vat_price,
    is_valid_ocr,
    line_amounts,
    luhn_check_digit,
    make_ocr,
    round_money,
)
from jetshop_hogia.apimodel.hogia_base import Entity, HogiaModel, LocalDateTime, Money, Number
from jetshop_hogia.apimodel.hogia_invoice_status import (
    STATUS_EVENTS_PATH,
    CreditInvoiceCreate,
    InvoiceEventKind,
    InvoiceReference,
    InvoiceStatusEvent,
    ReferenceKind,
)
from jetshop_hogia.apimodel.hogia_invoices import (
    CurrencyRef,
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceHeaderCreate,
    InvoiceHeader,
    InvoiceLine,
    InvoiceLineCreate,
    InvoiceTotals,
    VatDistribution,
    compute_totals,
    price_line,
)
from jetshop_hogia.vat import VAT_TABLE, VatClass

__all__ = [
    "API_VERSION",
    "KRONA",
    "MAX_PAGE_SIZE",
    "OERE",
    "PAGE_COUNT_HEADER",
    "PAGE_HEADER",
    "REQUIRED_MODULES",
    "STATUS_EVENTS_PATH",
    "VAT_CODE_CLASSES",
    "Address",
    "Article",
    "ArticleFields",
    "ArticlePrice",
    "BusinessError",
    "BusinessErrorCode",
    "CampaignPrice",
    "Company",
    "Contact",
    "ContactCustomerTerms",
    "ContactFields",
    "CreditInvoiceCreate",
    "CurrencyRef",
    "CustomerInvoice",
    "CustomerInvoiceCreate",
    "CustomerInvoiceHeaderCreate",
    "Entity",
    "HogiaModel",
    "InvoiceEventKind",
    "InvoiceHeader",
    "InvoiceLine",
    "InvoiceLineCreate",
    "InvoiceReference",
    "InvoiceStatusEvent",
    "InvoiceTotals",
    "LocalDateTime",
    "Module",
    "Money",
    "Number",
    "ProblemDetails",
    "ReferenceKind",
    "RoundingMode",
    "SalesAccount",
    "StockUpdate",
    "TokenResponse",
    "VatCode",
    "VatDistribution",
    "compute_totals",
    "ex_vat_price",
    "is_valid_ocr",
    "line_amounts",
    "luhn_check_digit",
    "make_ocr",
    "missing_modules",
    "parse_error_body",
    "price_line",
    "round_money",
    "vat_code_for_class",
    "vat_code_periods",
    "vat_percent",
]

API_VERSION = "2025-06-01"
"""The pinned ``api-version`` (FACT: the invoice shape changed in 2025; other values → 400)."""

MAX_PAGE_SIZE = 500
PAGE_HEADER = "X-Pagination-Currentpage"
PAGE_COUNT_HEADER = "X-Pagination-Pagecount"


# ---- errors (FACT: three shapes) ---------------------------------------------------------------


class ProblemDetails(HogiaModel):
    """ASP.NET ProblemDetails: 400 validation errors (``errors``), 429 and other HTTP errors."""

    type: str | None = None
    title: str
    status: int
    errors: dict[str, list[str]] | None = None
    trace_id: str | None = None


class BusinessErrorCode(enum.StrEnum):
    """``errorCode`` values of the 422 business-rule array (MODEL)."""

    DUPLICATE_NUMBER = "DuplicateNumber"
    CUSTOMER_NOT_FOUND = "CustomerNotFound"
    ARTICLE_NOT_FOUND = "ArticleNotFound"
    PRICE_MISSING = "PriceMissing"
    UNKNOWN_VAT_CODE = "UnknownVatCode"
    INVALID_VAT_PERCENT = "InvalidVatPercent"
    MODULE_NOT_ACTIVE = "ModuleNotActive"
    INVALID_STATUS_CHANGE = "InvalidStatusChange"


class BusinessError(HogiaModel):
    """One entry of the 422 array ``[{"errorCode","errorScopeId","message","sequentialId"}]``."""

    error_code: str
    error_scope_id: str | None = None
    message: str
    sequential_id: int


def parse_error_body(payload: object) -> ProblemDetails | list[BusinessError] | str | None:
    """Classify a decoded error body into one of the three shapes (None when it is none of them)."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, list) and all(isinstance(item, dict) and "errorCode" in item for item in payload):
        return [BusinessError.model_validate(item) for item in payload]
    if isinstance(payload, dict) and "status" in payload and "title" in payload:
        return ProblemDetails.model_validate(payload)
    return None


class TokenResponse(BaseModel):
    """OAuth2 token answer; snake_case on the wire as the OAuth2 spec has it."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth2 token type, not a secret


# ---- company and VAT codes ---------------------------------------------------------------------


class Module(enum.StrEnum):
    """Hogia Smart modules (FACT); the integration needs Bokföring and Fakturering."""

    BOKFORING = "Bokforing"
    FAKTURERING = "Fakturering"
    KASSAREGISTER = "Kassaregister"


REQUIRED_MODULES: tuple[Module, ...] = (Module.BOKFORING, Module.FAKTURERING)


class Company(Entity):
    """``GET /{org}/company``: the organisation's settings the integration depends on."""

    name: str
    organisation_number: str
    modules: list[str]
    rounding_mode: RoundingMode = RoundingMode.NONE
    currency_code: str = "SEK"


def missing_modules(company: Company) -> list[str]:
    """The required modules the company lacks (empty when the integration may run)."""
    return [module.value for module in REQUIRED_MODULES if module.value not in company.modules]


class VatCode(Entity):
    """One dated row of ``GET /{org}/vatcodes``; a code can have several rows (food 12 → 6 → 12 %)."""

    code: str
    percent: Number
    valid_from: date
    valid_to: date | None = None


VAT_CODE_CLASSES: dict[str, VatClass] = {
    "MP1": VatClass.STANDARD,
    "MP2": VatClass.FOOD,
    "MP2R": VatClass.HOSPITALITY,
    "MP3": VatClass.REDUCED,
    "MF": VatClass.EXEMPT,
}
"""Hogia VAT codes (MODEL) and the article class whose dated rates they follow."""


def vat_code_for_class(vat_class: VatClass) -> str:
    """The Hogia VAT code of an article class."""
    return next(code for code, klass in VAT_CODE_CLASSES.items() if klass is vat_class)


def vat_code_periods() -> list[tuple[str, Decimal, date, date | None]]:
    """Every (code, percent, validFrom, validTo) row, from the one dated table in :mod:`jetshop_hogia.vat`."""
    return [
        (vat_code_for_class(klass), (rate * 100).quantize(KRONA), valid_from, valid_to)
        for klass, valid_from, valid_to, rate in VAT_TABLE
    ]


def vat_percent(code: str, on: date) -> Decimal:
    """The percent (25, 12, 6, 0) of a VAT code on a day; KeyError for an unknown code."""
    for row_code, percent, valid_from, valid_to in vat_code_periods():
        if row_code == code and valid_from <= on and (valid_to is None or on <= valid_to):
            return percent
    raise KeyError(code)


# ---- contacts ----------------------------------------------------------------------------------


class Address(HogiaModel):
    """A billing or delivery address of a contact."""

    type: Literal["billing", "delivery"] = "billing"
    street: str | None = None
    co: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country_code: str | None = None


class ContactCustomerTerms(HogiaModel):
    """The customer part of a contact (FACT names)."""

    payment_terms: int = Field(default=30, ge=0, le=365)
    selected_currency_code: str = "SEK"


class ContactFields(HogiaModel):
    """What a client writes (POST/PUT) for a customer; ``number`` is assigned when left out."""

    number: str | None = Field(default=None, min_length=1, max_length=30)
    company_name: str | None = None
    given_name: str | None = None
    sur_name: str | None = None
    email: str | None = None
    phone: str | None = None
    country_code: str = Field(default="SE", min_length=2, max_length=2)
    vat_number: str | None = None
    organisation_number: str | None = None
    is_company: bool = False
    customer: ContactCustomerTerms = Field(default_factory=lambda: ContactCustomerTerms())
    addresses: list[Address] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_a_name(self) -> ContactFields:
        if not (self.company_name or self.given_name or self.sur_name):
            raise ValueError("companyName or givenName/surName is required")
        return self


class Contact(ContactFields, Entity):
    """A stored customer; ``number`` is always set."""

    number: str


# ---- articles ----------------------------------------------------------------------------------


class SalesAccount(HogiaModel):
    """A bookkeeping account an article's sales go to."""

    number: str
    type: str = "domestic"


class ArticlePrice(HogiaModel):
    """The ordinary price ex VAT in one currency (Hogia Smart has no price lists)."""

    price: Money
    currency_code: str = "SEK"


class CampaignPrice(HogiaModel):
    """A campaign price ex VAT in the company currency, optionally limited in time (inclusive)."""

    price: Money
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        """True when the campaign is in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ArticleFields(HogiaModel):
    """What a client writes (POST/PUT) for an article."""

    number: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1)
    unit: str = "st"
    type: Literal["goods", "service"] = "goods"
    vat_code: str = "MP1"
    sales_accounts: list[SalesAccount] = Field(default_factory=list)
    prices: list[ArticlePrice] = Field(default_factory=list)
    campaign_price: CampaignPrice | None = None
    stock_balance: Number = Decimal(0)
    send_to_web_shop: bool = False
    stock_status: str | None = None
    delivery_date: date | None = None
    """Expected restock date (MODEL): sent to Jetshop as ``DeliveryDate`` only when set."""

    def price_in(self, currency_code: str) -> Decimal | None:
        """The ordinary price ex VAT in ``currency_code``, None when the article has none."""
        return next((p.price for p in self.prices if p.currency_code == currency_code), None)


class Article(ArticleFields, Entity):
    """A stored article. A web-shop variant is an article of its own (no variant structure)."""


class StockUpdate(HogiaModel):
    """``PATCH /{org}/articles/{id}/stock``."""

    stock_balance: Number
