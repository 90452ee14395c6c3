"""``/{organisationId}/articles``: the article register, master of stock in the ERP-led flows (MODEL).

Price, campaign and stock changes bump ``rowVersion`` like any write, which is how the integration
sees a till sale or a price change made in Hogia.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import (
    VAT_CODE_CLASSES,
    Article,
    ArticleFields,
    BusinessErrorCode,
    StockUpdate,
)
from jetshop_hogia_simulators.hogia.gate import ApiGate
from jetshop_hogia_simulators.hogia.registers import add_read_routes, find_or_404
from jetshop_hogia_simulators.hogia.responses import (
    EarlyResponse,
    bool_query,
    business_errors,
    guid_response,
    model_response,
    paged_response,
    read_body,
)
from jetshop_hogia_simulators.hogia.state import CompanyStore, sort_by_number


def check_writable(company: CompanyStore, fields: ArticleFields, own_id: str | None) -> None:
    """422 for a number another article has, or a VAT code the company does not know."""
    errors: list[tuple[str, str | None, str]] = []
    holder = company.article_by_number(fields.number)
    if holder is not None and holder.id != own_id:
        errors.append(
            (
                BusinessErrorCode.DUPLICATE_NUMBER,
                "number",
                f"An article with number {fields.number} already exists.",
            )
        )
    if fields.vat_code not in VAT_CODE_CLASSES:
        errors.append((BusinessErrorCode.UNKNOWN_VAT_CODE, "vatCode", f"Unknown VAT code {fields.vat_code}."))
    if errors:
        raise EarlyResponse(business_errors(errors))


def articles_router(gate: ApiGate) -> APIRouter:
    """List (filters ``number``, ``sendToWebShop``), get, create, replace, stock patch, rowversion."""
    router = APIRouter(prefix="/{organisation_id}/articles", tags=["articles"])
    state = gate.state

    @router.get("")
    async def list_articles(request: Request) -> Response:
        call = await gate.enter(request, "articles.list")
        number = request.query_params.get("number")
        send_to_web_shop = bool_query(request, "sendToWebShop")
        with state.lock:
            rows = [
                article
                for article in call.company.articles.values()
                if (number is None or article.number == number)
                and (send_to_web_shop is None or article.send_to_web_shop is send_to_web_shop)
            ]
            return paged_response(request, sort_by_number(rows, lambda a: a.number))

    add_read_routes(router, gate, "articles", lambda company: company.articles)

    @router.post("")
    async def create_article(request: Request) -> Response:
        call = await gate.enter(request, "articles.create")
        fields = await read_body(request, ArticleFields)
        company = call.company
        with state.lock:
            check_writable(company, fields, None)
            article = Article(**fields.model_dump(), **company.new_entity_fields(gate.now()))
            company.articles[article.id] = article
        gate.commit(call)
        return guid_response(article.id, f"/{company.organisation_id}/articles/{article.id}")

    @router.put("/{article_id}")
    async def replace_article(request: Request, article_id: str) -> Response:
        call = await gate.enter(request, "articles.update")
        fields = await read_body(request, ArticleFields)
        company = call.company
        with state.lock:
            article = find_or_404(company.articles, article_id)
            check_writable(company, fields, article.id)
            for name in ArticleFields.model_fields:
                setattr(article, name, getattr(fields, name))
            company.touch(article, gate.now())
            answer = model_response(article)
        gate.commit(call)
        return answer

    @router.patch("/{article_id}/stock")
    async def patch_stock(request: Request, article_id: str) -> Response:
        call = await gate.enter(request, "articles.stock")
        update = await read_body(request, StockUpdate)
        with state.lock:
            article = find_or_404(call.company.articles, article_id)
            article.stock_balance = update.stock_balance
            call.company.touch(article, gate.now())
            answer = model_response(article)
        gate.commit(call)
        return answer

    return router
