"""JetshopHook's product operations (FACT: seen on the live service): get, add/update, delete, IncVAT prices.

Every write is idempotent (an upsert by article number, absolute prices, a delete that answers
``NotFound`` the second time), so the transport may retry them after a lost answer. Batches are sent in
chunks of ``batch_size``: Jetshop rejects a whole batch for one ill-typed value (a ``soap:Sender`` fault,
never retried), so earlier chunks of a call may be applied when a later one faults.

Results are returned for every item, in request order; nothing is swallowed. Use
:func:`~.jetshop_results.raise_for_failures` or :func:`~.jetshop_results.item_failures` on them.
"""

from __future__ import annotations

from collections.abc import Sequence

from jetshop_hogia.apimodel import jetshop_products_xml as codec
from jetshop_hogia.apimodel.jetshop_products import (
    PriceListRow,
    PriceListRowResult,
    ProductData,
    ProductDeleteResult,
    ProductResult,
)
from jetshop_hogia_provider.hooks.jetshop_soap import SoapOperations, decode_result

DEFAULT_BATCH_SIZE = 50


class JetshopProductsMixin(SoapOperations):
    """Product calls of :class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`."""

    def product_get(self, article_number: str, culture: str | None = None) -> ProductData | None:
        """The product in ``culture`` (default: the connection's first culture); None when unknown.

        Jetshop answers an unknown article with an empty result, not a fault (FACT).
        """
        culture = culture or self.cultures[0]
        result = self.soap_call(
            codec.PRODUCT_GET, codec.encode_product_options(article_number, culture), idempotent=True
        )
        products = decode_result(codec.PRODUCT_GET, codec.decode_products, result)
        return next((p for p in products if p.culture in (None, culture)), None)

    def product_get_all_cultures(self, article_number: str) -> list[ProductData]:
        """The product in every culture the shop has (empty when unknown)."""
        result = self.soap_call(
            codec.PRODUCT_GET, codec.encode_product_options(article_number, None), idempotent=True
        )
        return decode_result(codec.PRODUCT_GET, codec.decode_products, result)

    def product_add_update(
        self, products: Sequence[ProductData], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[ProductResult]:
        """Create or update products, one ``ProductData`` per culture; one result per item, in order.

        Only the fields set on each item are sent (the service updates partially). For a new article
        the first culture creates it (``SuccessNew``) and the rest update it: list cultures in the
        shop's order (:meth:`ProductData.for_cultures` with ``hook.cultures``).
        """
        return self.call_in_batches(
            codec.PRODUCT_ADD_UPDATE,
            products,
            batch_size,
            codec.encode_products,
            codec.decode_product_results,
        )

    def product_delete(self, article_number: str, *, add_redirect: bool | None = None) -> ProductDeleteResult:
        """Delete one product. ``NotFound`` is reported as ``ok`` (gone), ``deleted`` is False then."""
        result = self.soap_call(
            codec.PRODUCT_DELETE,
            codec.encode_product_delete(article_number, add_redirect),
            idempotent=True,  # a repeated delete answers NotFound: same end state
        )
        return decode_result(codec.PRODUCT_DELETE, codec.decode_product_delete_result, result)

    def price_list_update_inc_vat(
        self, rows: Sequence[PriceListRow], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[PriceListRowResult]:
        """Set prices incl. VAT (whole currency units) per article and price list; one result per row.

        Build rows with :meth:`PriceListRow.from_ex_vat`, which rounds through
        :mod:`jetshop_hogia.vat_pricing`. Unknown articles or price lists come back as
        ``success=False`` rows; an ill-typed value faults the whole chunk (``SoapSenderFault``).
        """
        return self.call_in_batches(
            codec.PRICE_LIST_UPDATE_INC_VAT,
            rows,
            batch_size,
            codec.encode_price_rows,
            codec.decode_price_results,
        )
