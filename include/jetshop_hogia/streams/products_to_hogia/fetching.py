"""Read the products that changed in every shop, in every culture, into one file per shop.

The change list is read from shortly before the window (:data:`OVERLAP`: a product saved while the
previous run read is caught again; the hash makes a second look free). On the tenant's first run, after
a flow switch (no confirmed hashes under this flow) and on a full compare, every product is read.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jetshop_hogia.kernel.stream import StreamRun
from jetshop_hogia.streams._catalog.model import HOGIA_SCOPE
from jetshop_hogia.streams._catalog.reconciling import is_full_compare
from jetshop_hogia.streams._catalog.steps import stored_items

OVERLAP = timedelta(hours=1)


def fetch(stream: Any, run: StreamRun) -> dict[str, Any]:
    """Changed products per shop (all of them when nothing was confirmed yet or on a full compare)."""
    store = run.resources.state()
    known = stored_items(store, run.tenant.tenant_id, stream.stream_key(run), HOGIA_SCOPE)
    everything = not known or is_full_compare(run)
    since = None if everything else run.window.start - OVERLAP
    shops: dict[str, Any] = {}
    for shop in run.tenant.shops:
        try:
            jetshop = run.resources.jetshop(shop.id)
            numbers = sorted({c.article_number for c in jetshop.iter_changed_products(since)})
            products = {
                number: [p.model_dump(mode="json") for p in jetshop.product_get_all_cultures(number)]
                for number in numbers
            }
        except Exception as error:  # one unreachable shop is reported; the others' products still go
            shops[shop.id] = {"error": f"{type(error).__name__}: {error}"[:500]}
            continue
        path = run.write_json(f"catalog/{stream.name}/{shop.id}/products.json", products)
        shops[shop.id] = {"products": path, "count": len(products)}
    codes = {a.number: a.vat_code for a in run.resources.hogia().iter_articles()}
    vat_codes = run.write_json(f"catalog/{stream.name}/hogia_vat_codes.json", codes)
    return {"shops": shops, "everything": everything, "vat_codes": vat_codes}
