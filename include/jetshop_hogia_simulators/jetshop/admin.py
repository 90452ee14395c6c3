"""Jetshop-specific admin drivers: what a shopper or the merchant does in the shop, for tests and demo.

- ``GET   /_admin/shops``: shops, credentials, channels and price lists
- ``POST  /_admin/orders``: place orders ``{shop_id, count, status_id?, placed_at?, articles?}``
  (``articles``: what is in the basket, ``[{article_number, name, price_inc_vat, vat_class?}]``, also
  articles the shop's catalogue does not have; default random catalogue articles)
- ``POST  /_admin/orders/{shop_id}/{order_id}/status``: the merchant changes a status ``{status_id}``
- ``GET   /_admin/mails``, ``GET /_admin/captures``: status mails "sent", payments captured
- ``POST  /_admin/products/{shop_id}``: the merchant adds a product (:class:`~.assortment.NewProduct`:
  article, names per culture, VAT class, price incl. VAT, variants, ``modified``); 409 if it exists
- ``GET   /_admin/products/{shop_id}/{article}``: one product as stored (404 when the shop lacks it)
- ``PATCH /_admin/products/{shop_id}/{article}``: ``{stock?, price_inc_vat?}`` (default price list)
- ``PUT   /_admin/orders/{shop_id}/{order_id}/answer``: plant a broken ``Order_Get`` answer
  (:class:`~.planted.PlantedAnswer`); ``DELETE`` removes it

Like the shared admin endpoints they bypass auth and fault injection (loopback only).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate
from jetshop_hogia.vat import VatClass
from jetshop_hogia_simulators.common.clock import STOCKHOLM
from jetshop_hogia_simulators.jetshop.assortment import NewProduct, add_product
from jetshop_hogia_simulators.jetshop.orders import set_status
from jetshop_hogia_simulators.jetshop.planted import PlantedAnswer
from jetshop_hogia_simulators.jetshop.seeding import ex_vat
from jetshop_hogia_simulators.jetshop.simulator import JetshopSimulator
from jetshop_hogia_simulators.jetshop.state import ShopState
from jetshop_hogia_simulators.seed import ArticleSpec, generate_order


class BasketArticle(BaseModel):
    """An article in the basket, given by the caller: e.g. one the merchant sells but Hogia lacks."""

    article_number: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1)
    price_inc_vat: Decimal = Field(gt=0)
    vat_class: VatClass = VatClass.STANDARD

    def spec(self) -> ArticleSpec:
        """The seed generator's form (SEK price incl. VAT; other currencies follow its factors)."""
        return ArticleSpec(self.article_number, self.name, self.vat_class, self.price_inc_vat, None, 0)


class PlaceOrders(BaseModel):
    """Orders a shopper places; ``placed_at`` defaults to the simulated now (naive = Stockholm time)."""

    shop_id: str
    count: int = Field(1, ge=1, le=500)
    status_id: int | None = None
    placed_at: datetime | None = None
    articles: list[BasketArticle] = Field(default_factory=list)


class MerchantStatus(BaseModel):
    """A status the merchant sets in the shop's admin."""

    status_id: int


class ProductPatch(BaseModel):
    """Stock count and/or price incl. VAT (default price list) changed in the shop's admin."""

    stock: int | None = None
    price_inc_vat: Decimal | None = None


class UnreadableArticles(BaseModel):
    """Articles whose requests the shop answers with a Sender fault (a stand-in for an ill-typed value)."""

    articles: list[str]


def _shop(sim: JetshopSimulator, shop_id: str) -> ShopState:
    shop = sim.state.shops.get(shop_id)
    if shop is None:
        raise HTTPException(404, f"no shop {shop_id!r}")
    return shop


def place_orders(sim: JetshopSimulator, body: PlaceOrders) -> list[dict[str, Any]]:
    """New random orders from the seed generator (consumes the shared order-id sequence)."""
    with sim.lock:
        shop = _shop(sim, body.shop_id)
        spec = next(s for s in sim.shops if s.shop_id == body.shop_id)
        if body.status_id is not None and body.status_id not in shop.statuses:
            raise HTTPException(422, f"no order status {body.status_id}")
        placed = body.placed_at or sim.now()
        placed = placed if placed.tzinfo is not None else placed.replace(tzinfo=STOCKHOLM)
        created = []
        for _ in range(body.count):
            sim.world.next_order_id = sim.state.next_order_id
            order = generate_order(sim.rng, sim.world, spec, placed, [a.spec() for a in body.articles])
            sim.state.next_order_id = sim.world.next_order_id
            if body.status_id is not None:
                status = {"status_id": body.status_id, "status_name": shop.statuses[body.status_id]}
                order = order.model_copy(update=status)
            shop.orders[order.order_id] = order
            created.append(
                {"order_id": order.order_id, "order_number": order.order_number, "status_id": order.status_id}
            )
        sim.persist()
    return created


def merchant_status(sim: JetshopSimulator, shop_id: str, order_id: int, status_id: int) -> dict[str, Any]:
    """A status change made in the shop's admin: same rules as ``Order_SetStatus``, no mail, no capture."""
    with sim.lock:
        shop = _shop(sim, shop_id)
        if order_id not in shop.orders:
            raise HTTPException(404, f"no order {order_id} in shop {shop_id!r}")
        result = set_status(
            sim.state, shop, OrderStatusUpdate(order_id=order_id, status_id=status_id), sim.now()
        )
        if not result.success:
            raise HTTPException(422, result.message)
        sim.persist()
        order = shop.orders[order_id]
    return {"order_id": order.order_id, "status_id": order.status_id, "changed_date": order.changed_date}


def patch_product(sim: JetshopSimulator, shop_id: str, article: str, body: ProductPatch) -> dict[str, Any]:
    """Stock or price changed in the shop's admin; bumps ``ModifiedDate``."""
    with sim.lock:
        shop = _shop(sim, shop_id)
        product = shop.products.get(article)
        if product is None:
            raise HTTPException(404, f"no product {article!r} in shop {shop_id!r}")
        if body.stock is not None:
            product.stock = body.stock
        if body.price_inc_vat is not None:
            product.prices[shop.default_price_list].price = ex_vat(body.price_inc_vat, product.vat)
        product.modified = sim.now()
        sim.persist()
        return product.model_dump(mode="json")


def _add_product_reads_and_creates(router: APIRouter, sim: JetshopSimulator) -> None:
    """One product as stored, and a new product as the merchant adds it (demo scenarios, tests)."""

    @router.post("/products/{shop_id}")
    def post_product(shop_id: str, body: NewProduct) -> dict[str, Any]:
        with sim.lock:
            created = add_product(_shop(sim, shop_id), body, sim.now())
            sim.persist()
        return {"shop_id": shop_id, "articles": created}

    @router.get("/products/{shop_id}/{article}")
    def get_product(shop_id: str, article: str) -> dict[str, Any]:
        with sim.lock:
            product = _shop(sim, shop_id).products.get(article)
            if product is None:
                raise HTTPException(404, f"no product {article!r} in shop {shop_id!r}")
            return product.model_dump(mode="json")


def build_jetshop_admin_router(sim: JetshopSimulator) -> APIRouter:
    """The Jetshop drivers, mounted next to the shared admin router."""
    router = APIRouter(prefix="/_admin", tags=["admin"])

    @router.get("/shops")
    def shops() -> list[dict[str, Any]]:
        return [
            {
                "shop_id": spec.shop_id,
                "user": spec.user,
                "password": spec.password,
                "cultures": list(spec.cultures),
                "channels": [c.model_dump() for c in sim.state.shops[spec.shop_id].channels],
            }
            for spec in sim.shops
        ]

    @router.post("/orders")
    def post_orders(body: PlaceOrders) -> dict[str, Any]:
        return {"orders": place_orders(sim, body)}

    @router.post("/orders/{shop_id}/{order_id}/status")
    def post_status(shop_id: str, order_id: int, body: MerchantStatus) -> dict[str, Any]:
        return merchant_status(sim, shop_id, order_id, body.status_id)

    @router.put("/orders/{shop_id}/{order_id}/answer")
    def put_answer(shop_id: str, order_id: int, body: PlantedAnswer) -> dict[str, Any]:
        with sim.lock:
            _shop(sim, shop_id).planted_answers[order_id] = body
        return {"order_id": order_id, "planted": True}

    @router.delete("/orders/{shop_id}/{order_id}/answer")
    def delete_answer(shop_id: str, order_id: int) -> dict[str, Any]:
        with sim.lock:
            removed = _shop(sim, shop_id).planted_answers.pop(order_id, None)
        return {"order_id": order_id, "planted": False, "removed": removed is not None}

    @router.get("/mails")
    def mails() -> list[dict[str, Any]]:
        with sim.lock:
            return [mail.model_dump(mode="json") for mail in sim.state.mails]

    @router.get("/captures")
    def captures() -> list[dict[str, Any]]:
        with sim.lock:
            return [capture.model_dump(mode="json") for capture in sim.state.captures]

    @router.put("/products/{shop_id}/unreadable")
    def unreadable(shop_id: str, body: UnreadableArticles) -> dict[str, Any]:
        with sim.lock:
            _shop(sim, shop_id).unreadable_articles = list(body.articles)
        return {"shop_id": shop_id, "articles": body.articles}

    _add_product_reads_and_creates(router, sim)

    @router.patch("/products/{shop_id}/{article}")
    def patch(shop_id: str, article: str, body: ProductPatch) -> dict[str, Any]:
        return patch_product(sim, shop_id, article, body)

    return router
