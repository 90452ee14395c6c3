"""The cheap remainder of the live operations: image upload/linking and dynamic product fields.

Images are only counted (name → size) and linked by file name ``<article><divider><suffix>`` (FACT).
The simulated shops configure no dynamic product fields, so saving one always answers the live
service's per-item message for that case (FACT wording).
"""

from __future__ import annotations

import base64
import binascii

from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop.calls import Call

NO_DYNAMIC_FIELD = "No dynamic field, connected to product, found with key."


def _image_bytes(node: soap.Element) -> int:
    raw = soap.text(node, "ImageByte") or ""
    try:
        return len(base64.b64decode("".join(raw.split()), validate=True))
    except (binascii.Error, ValueError) as exc:
        raise soap.XmlValueError(
            "ImageByte",
            raw[:20],
            "base64Binary",
            "The input is not a valid Base-64 string as it contains a non-base 64 character.",
            element=soap.child(node, "ImageByte"),
        ) from exc


def upload_image(call: Call) -> bytes:
    """``UploadImage``: store each image by file name; one ``ImageUploadResult`` each."""
    images = [
        (soap.text(n, "FileName") or "", _image_bytes(n))
        for n in soap.children(call.param("imageFileOptions"), "ImageFileOptions")
    ]
    result = soap.start_response("UploadImage")
    for name, size in images:
        node = soap.add_container(result, "ImageUploadResult")
        soap.add(node, "FileName", name)
        soap.add(node, "ImageName", name)
        if name and size:
            call.shop.images[name] = size
            soap.add(node, "Message", f"Image {name} was successfully uploaded")
            soap.add(node, "Success", True)
        else:
            soap.add(node, "Message", "An image needs a file name and content")
            soap.add(node, "Success", False)
    return soap.serialize(result)


def add_update_images(call: Call) -> bytes:
    """``Product_AddUpdateImages``: link uploaded images named after each article to its product."""
    divider = soap.text(call.op, "divider") or "."
    requests = [
        ((soap.text(n, "ArticleNumber") or "").strip(), bool(soap.boolean(n, "Reload")))
        for n in soap.children(call.param("articleNumbers"), "ArticleNumberImages")
    ]
    result = soap.start_response("Product_AddUpdateImages")
    for article, reload in requests:
        node = soap.add_container(result, "ResultMessage")
        soap.add(node, "Identifier", article)
        product = call.shop.products.get(article)
        if product is None:
            soap.add(node, "ResultType", "NotFound")
            continue
        names = sorted(
            name
            for name in call.shop.images
            if name.startswith(article + divider) or name.rsplit(".", 1)[0] == article
        )
        linked = names if reload else product.images + [n for n in names if n not in product.images]
        if linked != product.images:
            product.images = linked
            product.modified = call.now
        soap.add(node, "ResultType", "Success")
    return soap.serialize(result)


def save_dynamic_fields(call: Call) -> bytes:
    """``ProductDynamicField_SaveProductDynamicFieldData``: no shop has dynamic fields configured."""
    inputs = [
        (
            (soap.text(n, "ArticleNumber") or "").strip(),
            soap.text(n, "Key") or "",
            soap.boolean(n, "ClearExistingListData"),
        )
        for n in soap.children(call.param("dynamicFieldOnProductInputs"), "DynamicFieldOnProductInput")
    ]
    result = soap.start_response("ProductDynamicField_SaveProductDynamicFieldData")
    for article, key, _clear in inputs:
        product = call.shop.products.get(article)
        node = soap.add_container(result, "DynamicFieldItemResult")
        soap.add(node, "ProductId", product.product_id if product else 0)
        soap.add(node, "ArticleNumber", article)
        soap.add(node, "Key", key)
        soap.add(node, "Success", False)
        soap.add(node, "Message", NO_DYNAMIC_FIELD if product else "Product not found.")
    return soap.serialize(result)
