"""Hogia admin drivers: what a merchant does in Hogia Smart, and views that keep tests short.

Never rate limited, never faulted (they bypass the gate). The organisation GUID is in the path; the
invoice status route also exists without it (``/_admin/invoices/{id}/status``), as docs/API_MODEL.md
names it. ``GET /_admin/articles/{org}/{number}`` reads an article by number, ``POST /_admin/articles/{org}``
creates one (the body of the API's create) the way the merchant does in Hogia Smart's own UI.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import (
    Article,
    ArticleFields,
    ArticlePrice,
    CampaignPrice,
    CustomerInvoice,
    HogiaModel,
    Money,
    Number,
    RoundingMode,
)
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.invoice_events import flags, record_events
from jetshop_hogia_simulators.hogia.invoicing import apply_status
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    business_errors,
    json_response,
    model_response,
    not_found,
    read_body,
)
from jetshop_hogia_simulators.hogia.routes_articles import check_writable
from jetshop_hogia_simulators.hogia.state import CompanyStore, HogiaState


class InvoiceStatusChange(HogiaModel):
    """A merchant's status change; only the keys sent are applied."""

    delivered: bool | None = None
    tracking_number: str | None = None
    billed: bool | None = None
    paid: bool | None = None
    canceled: bool | None = None


class ArticleChange(HogiaModel):
    """A stock or price change made in Hogia (a till sale, a new price); ``campaignPrice: null`` ends one."""

    stock_balance: Number | None = None
    price: Money | None = None
    campaign_price: CampaignPrice | None = None
    stock_status: str | None = None
    send_to_web_shop: bool | None = None
    name: str | None = None
    delivery_date: date | None = None


class CompanyChange(HogiaModel):
    """Company settings the integration depends on."""

    modules: list[str] | None = None
    rounding_mode: RoundingMode | None = None


def _sent(model: HogiaModel) -> dict[str, Any]:
    """The fields the client actually sent, by camelCase name."""
    fields = type(model).model_fields
    return {fields[name].alias or name: getattr(model, name) for name in model.model_fields_set}


def _apply_article_change(article: Article, change: ArticleChange, currency: str) -> None:
    sent = change.model_fields_set
    if "stock_balance" in sent and change.stock_balance is not None:
        article.stock_balance = change.stock_balance
    if "price" in sent and change.price is not None:
        others = [p for p in article.prices if p.currency_code != currency]
        article.prices = [ArticlePrice(price=change.price, currency_code=currency), *others]
    if "campaign_price" in sent:
        article.campaign_price = change.campaign_price
    if "stock_status" in sent:
        article.stock_status = change.stock_status
    if "send_to_web_shop" in sent and change.send_to_web_shop is not None:
        article.send_to_web_shop = change.send_to_web_shop
    if "name" in sent and change.name:
        article.name = change.name
    if "delivery_date" in sent:
        article.delivery_date = change.delivery_date


def _invoice_overview(company: CompanyStore) -> dict[str, Any]:
    """Every invoice in short, with counts per web order number: duplicates show up at a glance."""
    rows = sorted(company.invoices.values(), key=lambda i: i.invoice_header.invoice_number)
    counts = Counter(i.invoice_header.customer_order_number for i in rows)
    return {
        "organisationId": company.organisation_id,
        "count": len(rows),
        "byCustomerOrderNumber": {str(k): n for k, n in counts.items()},
        "duplicates": {str(k): n for k, n in counts.items() if k is not None and n > 1},
        "invoices": [
            {
                "id": i.id,
                "invoiceNumber": i.invoice_header.invoice_number,
                "customerOrderNumber": i.invoice_header.customer_order_number,
                "customerNumber": i.invoice_header.customer_number,
                "grossAmount": str(i.gross_amount),
                "isDelivered": i.is_delivered,
                "isBilled": i.is_billed,
                "isCustomerPaid": i.is_customer_paid,
                "isCanceled": i.is_canceled,
                "rowVersion": i.row_version,
            }
            for i in rows
        ],
    }


def _apply_company_change(company: CompanyStore, change: CompanyChange) -> None:
    if change.modules is not None:
        company.company.modules = list(change.modules)
    if change.rounding_mode is not None:
        company.company.rounding_mode = change.rounding_mode


def _company_or_404(state: HogiaState, organisation_id: str) -> CompanyStore:
    company = state.company(organisation_id)
    if company is None:
        raise EarlyResponse(not_found("Organisation not found"))
    return company


def _find_invoice(
    state: HogiaState, invoice_id: str, organisation_id: str | None
) -> tuple[CompanyStore, CustomerInvoice]:
    """The invoice and its company; any company when ``organisation_id`` is None."""
    if organisation_id is not None:
        companies = [_company_or_404(state, organisation_id)]
    else:
        companies = list(state.companies.values())
    for company in companies:
        invoice = company.invoices.get(invoice_id.lower())
        if invoice is not None:
            return company, invoice
    raise EarlyResponse(not_found())


def _add_article_reads_and_creates(router: APIRouter, gate: ApiGate) -> None:
    """An article by number, and a new article as the merchant makes it (demo scenarios, tests)."""
    state = gate.state

    @router.get("/articles/{organisation_id}/{number}")
    async def article(organisation_id: str, number: str) -> Response:
        company = _company_or_404(state, organisation_id)
        with state.lock:
            found = company.article_by_number(number)
            if found is None:
                raise EarlyResponse(not_found())
            return model_response(found)

    @router.post("/articles/{organisation_id}")
    async def create_article(request: Request, organisation_id: str) -> Response:
        company = _company_or_404(state, organisation_id)
        fields = await read_body(request, ArticleFields)
        with state.lock:
            check_writable(company, fields, None)  # 422 for a number already taken
            created = Article(**fields.model_dump(), **company.new_entity_fields(gate.now()))
            company.articles[created.id] = created
            answer = model_response(created, status_code=201)
        state.persist()
        return answer


def hogia_admin_router(gate: ApiGate) -> APIRouter:
    """Merchant drivers and views under ``/_admin``."""
    router = APIRouter(prefix="/_admin", tags=["admin"])
    state = gate.state

    async def change_status(request: Request, invoice_id: str, organisation_id: str | None) -> Response:
        company, invoice = _find_invoice(state, invoice_id, organisation_id)
        change = _sent(await read_body(request, InvoiceStatusChange))
        with state.lock:
            before = flags(invoice)
            errors = apply_status(invoice, change, gate.today())
            if errors:
                raise EarlyResponse(business_errors(errors))
            now = gate.now()
            invoice.status_changed_date = now
            company.touch(invoice, now)
            record_events(company, invoice, before, now)
            answer = model_response(invoice)
        state.persist()
        return answer

    @router.get("/companies")
    async def companies() -> Response:
        return json_response(state.credentials())

    @router.post("/invoices/{organisation_id}/{invoice_id}/status")
    async def invoice_status(request: Request, organisation_id: str, invoice_id: str) -> Response:
        return await change_status(request, invoice_id, organisation_id)

    @router.post("/invoices/{invoice_id}/status")
    async def invoice_status_any_company(request: Request, invoice_id: str) -> Response:
        return await change_status(request, invoice_id, None)

    @router.get("/invoices/{organisation_id}")
    async def invoices(organisation_id: str) -> Response:
        company = _company_or_404(state, organisation_id)
        with state.lock:
            return json_response(_invoice_overview(company))

    _add_article_reads_and_creates(router, gate)

    @router.patch("/articles/{organisation_id}/{number}")
    async def change_article(request: Request, organisation_id: str, number: str) -> Response:
        company = _company_or_404(state, organisation_id)
        change = await read_body(request, ArticleChange)
        with state.lock:
            article = company.article_by_number(number)
            if article is None:
                raise EarlyResponse(not_found())
            _apply_article_change(article, change, company.company.currency_code)
            company.touch(article, gate.now())
            answer = model_response(article)
        state.persist()
        return answer

    @router.put("/company/{organisation_id}")
    async def change_company(request: Request, organisation_id: str) -> Response:
        company = _company_or_404(state, organisation_id)
        change = await read_body(request, CompanyChange)
        with state.lock:
            _apply_company_change(company, change)
            company.touch(company.company, gate.now())
            answer = model_response(company.company)
        state.persist()
        return answer

    return router
