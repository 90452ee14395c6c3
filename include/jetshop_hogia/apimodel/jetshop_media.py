"""Jetshop image upload/linking and dynamic product fields: types and client-side XML codec (FACT shapes).

``UploadImage`` stores image files by name; ``Product_AddUpdateImages`` links the uploaded files named
``<article><divider><suffix>`` to each article; ``ProductDynamicField_SaveProductDynamicFieldData``
writes shop-defined custom fields per culture. All three answer one result per item (FACT), exposed with
``key`` and ``problems`` like the other result types (see ``jetshop_products``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from jetshop_hogia import soap

UPLOAD_IMAGE = "UploadImage"
PRODUCT_ADD_UPDATE_IMAGES = "Product_AddUpdateImages"
SAVE_DYNAMIC_FIELDS = "ProductDynamicField_SaveProductDynamicFieldData"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ImageUpload(_Model):
    """One image file to upload; the name links it to an article (``1092-10.jpg``, ``1092-10.2.jpg``)."""

    file_name: str = Field(min_length=1)
    content: bytes = Field(min_length=1)


class ImageUploadResult(_Model):
    """``ImageUploadResult{FileName, ImageName, Message, Success}``."""

    file_name: str
    image_name: str | None = None
    success: bool
    message: str | None = None

    @property
    def key(self) -> str:
        """Names the item in error messages."""
        return self.file_name

    @property
    def problems(self) -> tuple[str, ...]:
        """The service's message when the upload was refused."""
        return () if self.success else (self.message or "refused without a message",)

    @property
    def ok(self) -> bool:
        """True when nothing in :attr:`problems`."""
        return not self.problems


class ImageLinkResult(_Model):
    """``ResultMessage{Identifier, ResultType}`` of ``Product_AddUpdateImages`` (Success / NotFound …)."""

    identifier: str
    result_type: str

    @property
    def key(self) -> str:
        """Names the item in error messages."""
        return self.identifier

    @property
    def problems(self) -> tuple[str, ...]:
        """Non-empty unless the images were linked."""
        if self.result_type == "Success":
            return ()
        return (f"images not linked (ResultType={self.result_type})",)

    @property
    def ok(self) -> bool:
        """True when nothing in :attr:`problems`."""
        return not self.problems


class DynamicFieldValue(_Model):
    """One custom field of one product: a value per culture (``{"sv-SE": "true"}``)."""

    article_number: str = Field(min_length=1)
    key: str = Field(min_length=1)
    values: dict[str, str]
    clear_existing_list_data: bool = False


class DynamicFieldResult(_Model):
    """``DynamicFieldItemResult{ProductId, ArticleNumber, Key, Success, Message}``."""

    product_id: int | None = None
    article_number: str
    field_key: str
    success: bool
    message: str | None = None

    @property
    def key(self) -> str:
        """Names the item in error messages."""
        return f"{self.article_number} / {self.field_key}"

    @property
    def problems(self) -> tuple[str, ...]:
        """The service's message when the value was not saved."""
        return () if self.success else (self.message or "refused without a message",)

    @property
    def ok(self) -> bool:
        """True when nothing in :attr:`problems`."""
        return not self.problems


def encode_image_uploads(images: Iterable[ImageUpload]) -> soap.Element:
    """``imageFileOptions``: one ``ImageFileOptions{FileName, ImageByte}`` per image (base64)."""
    param = soap.element("imageFileOptions")
    for image in images:
        node = soap.add_container(param, "ImageFileOptions")
        soap.add(node, "FileName", image.file_name)
        soap.add(node, "ImageByte", base64.b64encode(image.content).decode("ascii"))
    return param


def decode_image_upload_results(result: soap.Element) -> list[ImageUploadResult]:
    """One result per ``ImageUploadResult``."""
    return [
        ImageUploadResult(
            file_name=soap.text(node, "FileName") or "",
            image_name=soap.text(node, "ImageName"),
            success=bool(soap.boolean(node, "Success")),
            message=soap.text(node, "Message"),
        )
        for node in soap.children(result, "ImageUploadResult")
    ]


def encode_image_links(article_numbers: Iterable[str], *, reload: bool, divider: str) -> list[soap.Element]:
    """``articleNumbers{ArticleNumberImages{ArticleNumber, Reload}}`` and ``divider``: two parameters."""
    numbers = soap.element("articleNumbers")
    for article_number in article_numbers:
        node = soap.add_container(numbers, "ArticleNumberImages")
        soap.add(node, "ArticleNumber", article_number)
        soap.add(node, "Reload", reload)
    divider_param = soap.element("divider")
    divider_param.text = divider
    return [numbers, divider_param]


def decode_image_link_results(result: soap.Element) -> list[ImageLinkResult]:
    """One result per ``ResultMessage``."""
    return [
        ImageLinkResult(
            identifier=soap.text(node, "Identifier") or "",
            result_type=soap.text(node, "ResultType") or "None",
        )
        for node in soap.children(result, "ResultMessage")
    ]


def encode_dynamic_fields(values: Iterable[DynamicFieldValue]) -> soap.Element:
    """``dynamicFieldOnProductInputs``: one ``DynamicFieldOnProductInput`` per field and product."""
    param = soap.element("dynamicFieldOnProductInputs")
    for value in values:
        node = soap.add_container(param, "DynamicFieldOnProductInput")
        soap.add(node, "ArticleNumber", value.article_number)
        soap.add(node, "Key", value.key)
        soap.add(node, "ClearExistingListData", value.clear_existing_list_data)
        items = soap.add_container(node, "ItemValues")
        for culture, text in value.values.items():
            localization = soap.add_container(items, "Localization")
            soap.add(localization, "Culture", culture)
            soap.add(localization, "Value", text)
    return param


def decode_dynamic_field_results(result: soap.Element) -> list[DynamicFieldResult]:
    """One result per ``DynamicFieldItemResult``."""
    return [
        DynamicFieldResult(
            product_id=soap.integer(node, "ProductId"),
            article_number=soap.text(node, "ArticleNumber") or "",
            field_key=soap.text(node, "Key") or "",
            success=bool(soap.boolean(node, "Success")),
            message=soap.text(node, "Message"),
        )
        for node in soap.children(result, "DynamicFieldItemResult")
    ]
