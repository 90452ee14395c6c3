"""Plan the Hogia articles: one item per Jetshop article number, the first shop listing it wins.

Shops are taken in the tenant file's order, so in a multishop tenant the first shop is the product
master for an article several shops sell.
"""

from __future__ import annotations

from typing import Any

from jetshop_hogia.apimodel.jetshop_products import ProductData
from jetshop_hogia.catalog.products import ProductProblem, article_payload, is_variant_parent
from jetshop_hogia.config import Flow
from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import HOGIA_SCOPE, Item, Problem, ScopePlan
from jetshop_hogia.streams._catalog.sources import run_day


def plan(run: StreamRun, fetched: dict[str, Any]) -> ScopePlan:
    """The one Hogia scope's plan; a shop that could not be read makes it an error."""
    tenant = run.tenant
    result = ScopePlan(HOGIA_SCOPE)
    errors = [f"{shop}: {info['error']}" for shop, info in fetched["shops"].items() if "error" in info]
    if errors:
        result.error = "; ".join(errors)
    day = run_day(run)
    vat_codes: dict[str, str] = run.read_json(fetched["vat_codes"])
    seen: set[str] = set()
    for shop in tenant.shops:
        info = fetched["shops"].get(shop.id, {})
        if "products" not in info:
            continue
        for number, raw in run.read_json(info["products"]).items():
            if number in seen or not raw:
                continue
            seen.add(number)
            products = [ProductData.model_validate(item) for item in raw]
            if is_variant_parent(products):
                result.ignored.append(Problem(number, "variant_parent", "its variants are the articles"))
                continue
            try:
                payload = article_payload(
                    products,
                    name_culture=tenant.catalog.name_culture,
                    send_to_web_shop=tenant.catalog.send_to_web_shop,
                    include_price=tenant.flow is Flow.SHOP_LED,
                    day=day,
                    existing_vat_code=vat_codes.get(number),
                )
            except ProductProblem as problem:
                result.quarantined.append(Problem(number, problem.code, problem.text))
                continue
            result.items.append(Item(number, payload))
    return result
