"""JetshopHook's image and dynamic-field operations (FACT: seen on the live service).

All three are idempotent (an upload by file name replaces the file, linking and field values are set,
not added), so the transport may retry them after a lost answer. One result per item, in order; check
them with :func:`~.jetshop_results.raise_for_failures`. Images are sent base64 inside the envelope, so
keep batches small (``batch_size``) to stay well under the service's message size.
"""

from __future__ import annotations

from collections.abc import Sequence

from jetshop_hogia.apimodel import jetshop_media as codec
from jetshop_hogia.apimodel.jetshop_media import (
    DynamicFieldResult,
    DynamicFieldValue,
    ImageLinkResult,
    ImageUpload,
    ImageUploadResult,
)
from jetshop_hogia_provider.hooks.jetshop_products import DEFAULT_BATCH_SIZE
from jetshop_hogia_provider.hooks.jetshop_soap import SoapOperations

IMAGE_BATCH_SIZE = 5


class JetshopMediaMixin(SoapOperations):
    """Image and dynamic-field calls of :class:`~jetshop_hogia_provider.hooks.jetshop.JetshopHook`."""

    def upload_images(
        self, images: Sequence[ImageUpload], *, batch_size: int = IMAGE_BATCH_SIZE
    ) -> list[ImageUploadResult]:
        """Upload image files (by name); link them with :meth:`product_add_update_images` afterwards."""
        return self.call_in_batches(
            codec.UPLOAD_IMAGE,
            images,
            batch_size,
            codec.encode_image_uploads,
            codec.decode_image_upload_results,
        )

    def product_add_update_images(
        self,
        article_numbers: Sequence[str],
        *,
        reload: bool = True,
        divider: str = ".",
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> list[ImageLinkResult]:
        """Link uploaded files named ``<article><divider>…`` to each article; ``reload`` replaces the
        article's current images instead of adding to them."""
        return self.call_in_batches(
            codec.PRODUCT_ADD_UPDATE_IMAGES,
            article_numbers,
            batch_size,
            lambda batch: codec.encode_image_links(batch, reload=reload, divider=divider),
            codec.decode_image_link_results,
        )

    def save_dynamic_fields(
        self, values: Sequence[DynamicFieldValue], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> list[DynamicFieldResult]:
        """Save custom product fields per culture; a key the shop has not configured is a failed item."""
        return self.call_in_batches(
            codec.SAVE_DYNAMIC_FIELDS,
            values,
            batch_size,
            codec.encode_dynamic_fields,
            codec.decode_dynamic_field_results,
        )
