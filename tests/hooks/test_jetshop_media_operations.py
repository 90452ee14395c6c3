"""JetshopHook's image and dynamic-field operations against the running Jetshop simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sim_connections import FAST_RETRY, jetshop_connection

from jetshop_hogia.apimodel.jetshop_media import DynamicFieldValue, ImageUpload
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.jetshop_results import JetshopItemsFailedError, raise_for_failures
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle


@pytest.fixture
def alpha(jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[JetshopHook]:
    with JetshopHook(jetshop_connection(monkeypatch, jetshop_sim, "js_media"), retry=FAST_RETRY) as hook:
        yield hook


def test_images_are_uploaded_linked_and_dynamic_field_failures_surface(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    shop = jetshop_sim.simulator.state.shops["alpha"]
    article = next(iter(shop.products))
    uploads = [ImageUpload(file_name=f"{article}.{n}.jpg", content=b"\xff\xd8jpeg" * n) for n in (1, 2, 3)]
    uploaded = alpha.upload_images(uploads, batch_size=2)
    assert [r.ok for r in uploaded] == [True, True, True]
    assert {name: shop.images[name] for name in (u.file_name for u in uploads)} == {
        u.file_name: len(u.content) for u in uploads
    }
    linked = alpha.product_add_update_images([article, "no-such-article"])
    assert [(r.identifier, r.problems == ()) for r in linked] == [(article, True), ("no-such-article", False)]
    assert jetshop_sim.simulator.state.shops["alpha"].products[article].images == sorted(
        u.file_name for u in uploads
    )
    saved = alpha.save_dynamic_fields(
        [DynamicFieldValue(article_number=article, key="b2c", values={"sv-SE": "1"})]
    )
    with pytest.raises(JetshopItemsFailedError, match=f"{article} / b2c"):
        raise_for_failures("ProductDynamicField_SaveProductDynamicFieldData", saved)
