"""The WSDL the simulator serves at ``webservice.asmx?WSDL`` (ASMX convention, INFERRED).

Generated from compact type tables so that it always lists exactly the operations the simulator
serves, with the parameter and result shapes it reads and writes (the order types come from the same
tables as the codec). SOAP 1.2 binding, document/literal, target namespace ``WebServiceProvider``.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from jetshop_hogia.apimodel import jetshop_orders_fields as order_fields
from jetshop_hogia.soap import OPERATION_NS, XSD_NS

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP12_BINDING_NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
_KIND_TYPE = {"str": "s:string", "int": "s:int", "bool": "s:boolean", "dec": "s:decimal", "vat": "s:decimal"}
_KIND_TYPE["dt"] = "s:dateTime"


def _fields(text: str) -> list[tuple[str, str]]:
    """``"Name:str Price:dec"`` → [("Name", "s:string"), ("Price", "s:decimal")]; other types verbatim."""
    pairs = [item.split(":", 1) for item in text.split()]
    return [(name, _KIND_TYPE.get(kind, kind)) for name, kind in pairs]


def _table(fields: tuple[tuple[str, str, str], ...]) -> list[tuple[str, str]]:
    return [(xml, _KIND_TYPE[kind]) for xml, _attr, kind in fields]


TYPES: dict[str, list[tuple[str, str]]] = {
    "ProductOptions": _fields("ArticleNumber:str Culture:str"),
    "ProductData": _fields(
        "ArticleNumber:str Culture:str DescriptionUrl:str DiscountEndDate:dt DiscountStartDate:dt "
        "DiscountedPrice:dec EanCode:str FreightClassId:int HasAttributes:bool HasSpecification:bool "
        "HidePrice:bool HideProduct:bool ImagesXml:str IsSynchronized:int Manufacturer:str "
        "ManufacturerArtnr:str ManufacturerModel:str MetaDescription:str MetaKeywords:str Name:str "
        "PageTitle:str Price:dec PriceListChangeInheritPricePercent:dec PriceListIdOrName:str "
        "ProductDescription:str ProductId:int ProductInCategories:tns:ArrayOfProductInCategoryData "
        "QuantitySuffix:int RelatedProductsText:str ShortDescription:str ShowSendTip:bool "
        "StockData:tns:ProductStockData StockStatusName:str SubName:str Permalink:str SynchStatus:str "
        "TemplateId:int UseAttributeChooseText:bool UseComment:bool UseCommentRequired:bool "
        "UseDescriptionUrl:bool UseDiscountDateSpan:bool Vat:dec Volume:dec Weight:dec PublishDate:dt "
        "SearchKeys:str UseStockNotification:bool DiscountedPriceIsMemberPrice:bool ModifiedDate:dt"
    ),
    "ProductStockData": _fields(
        "ArticleNumber:str DeliveryDate:dt NewStockCount:int StockStatusId:int StockStatusName:str "
        "UseAdvancedStatus:bool StockStatusWhenOutOfStock:int"
    ),
    "ProductInCategoryData": _fields(
        "ArticleNumber:str CategoryId:int CategoryName:str ProductId:int ProductInCategoryState:str "
        "Result:str SortOrder:int IsCanonical:bool"
    ),
    "ProductResult": _fields(
        "ArticleNumber:str ProductId:int Culture:str StatusMainProductCreateDelete:str "
        "ResultProductInCategoriesDataResult:tns:ArrayOfProductInCategoryData ResultStockCreateUpdate:str "
        "ResultAttributeCreateUpdate:str ResultAttributeCreateMissing:str"
    ),
    "ProductDeleteRequest": _fields("ArticleNumber:str AddRedirect:bool Redirects:tns:ArrayOfString"),
    "ProductDeleteResult": _fields("Identifier:str Result:str"),
    "ArticlePriceListIncVat": _fields(
        "ArticleNumber:str PriceListId:tns:guid PriceIncVat:int DiscountedPriceIncVat:int HideProduct:bool "
        "DiscountedPriceIsMemberPrice:bool UseDiscountDateSpan:bool DiscountStartDate:dt DiscountEndDate:dt"
    ),
    "ArticlePriceListResult": _fields("ArticleNumber:str PriceListId:str Success:bool Message:str"),
    "ImageFileOptions": _fields("ImageByte:s:base64Binary FileName:str"),
    "ImageUploadResult": _fields("FileName:str ImageName:str Message:str Success:bool"),
    "ArticleNumberImages": _fields("ArticleNumber:str Reload:bool"),
    "ResultMessage": _fields("Identifier:str ResultType:str"),
    "DynamicFieldOnProductInput": _fields("ArticleNumber:str Key:str ClearExistingListData:bool"),
    "DynamicFieldItemResult": _fields("ProductId:int ArticleNumber:str Key:str Success:bool Message:str"),
    "OrderStatusData": _fields("StatusId:int Name:str"),
    "OrderChangedRequest": _fields(
        "ChangedFrom:dt ChangedTo:dt StatusIds:tns:ArrayOfInt ChannelIds:tns:ArrayOfInt AfterChangedDate:dt "
        "AfterOrderId:int PageSize:int"
    ),
    "OrderHeader": _table(order_fields.HEADER),
    "OrderChangedListResult": _fields("Orders:tns:ArrayOfOrderHeader HasMore:bool"),
    "OrderRequest": _fields("OrderId:int"),
    "OrderCustomer": _table(order_fields.CUSTOMER),
    "OrderRow": _table(order_fields.ROW),
    "OrderData": [
        *_table(order_fields.ORDER_HEAD),
        ("Customer", "tns:OrderCustomer"),
        *_table(order_fields.SHIP_TO),
        *_table(order_fields.ORDER_TAIL),
        ("OrderRows", "tns:ArrayOfOrderRow"),
    ],
    "OrderStatusUpdate": _table(order_fields.STATUS_UPDATE),
    "OrderStatusResult": _table(order_fields.STATUS_RESULT),
    "ProductChangedRequest": _fields("ChangedSince:dt AfterArticleNumber:str PageSize:int"),
    "ProductChange": _table(order_fields.PRODUCT_CHANGE),
    "ProductChangedListResult": _fields("Products:tns:ArrayOfProductChange HasMore:bool"),
}
ARRAYS = {"ArrayOfString": ("string", "s:string"), "ArrayOfInt": ("int", "s:int")}
ARRAYS |= {
    f"ArrayOf{name}": (name, f"tns:{name}")
    for name in [
        "ProductData",
        "ProductInCategoryData",
        "ProductResult",
        "ArticlePriceListIncVat",
        "ArticlePriceListResult",
        "ImageFileOptions",
        "ImageUploadResult",
        "ArticleNumberImages",
        "ResultMessage",
        "DynamicFieldOnProductInput",
        "DynamicFieldItemResult",
        "OrderStatusData",
        "OrderHeader",
        "OrderRow",
        "OrderStatusUpdate",
        "OrderStatusResult",
        "ProductChange",
    ]
}
OPERATIONS: dict[str, tuple[list[tuple[str, str]], str]] = {
    "Product_Get": (_fields("productOptions:tns:ProductOptions"), "tns:ArrayOfProductData"),
    "Product_AddUpdate": (_fields("products:tns:ArrayOfProductData"), "tns:ArrayOfProductResult"),
    "Product_Delete": (_fields("productDeleteRequest:tns:ProductDeleteRequest"), "tns:ProductDeleteResult"),
    "PriceList_UpdateArticleIncVAT": (
        _fields("articlePriceLists:tns:ArrayOfArticlePriceListIncVat"),
        "tns:ArrayOfArticlePriceListResult",
    ),
    "UploadImage": (_fields("imageFileOptions:tns:ArrayOfImageFileOptions"), "tns:ArrayOfImageUploadResult"),
    "Product_AddUpdateImages": (
        _fields("articleNumbers:tns:ArrayOfArticleNumberImages divider:str"),
        "tns:ArrayOfResultMessage",
    ),
    "ProductDynamicField_SaveProductDynamicFieldData": (
        _fields("dynamicFieldOnProductInputs:tns:ArrayOfDynamicFieldOnProductInput"),
        "tns:ArrayOfDynamicFieldItemResult",
    ),
    "OrderStatus_GetList": ([], "tns:ArrayOfOrderStatusData"),
    "Order_GetChangedList": (
        _fields("orderChangedRequest:tns:OrderChangedRequest"),
        "tns:OrderChangedListResult",
    ),
    "Order_Get": (_fields("orderRequest:tns:OrderRequest"), "tns:OrderResult"),
    "Order_SetStatus": (
        _fields("orderStatusUpdates:tns:ArrayOfOrderStatusUpdate"),
        "tns:ArrayOfOrderStatusResult",
    ),
    "Product_GetChangedList": (
        _fields("productChangedRequest:tns:ProductChangedRequest"),
        "tns:ProductChangedListResult",
    ),
}
TYPES["OrderResult"] = [("OrderData", "tns:OrderData")]


def _w(tag: str) -> str:
    return f"{{{WSDL_NS}}}{tag}"


def _x(tag: str) -> str:
    return f"{{{XSD_NS}}}{tag}"


def _sequence(complex_type: etree._Element, fields: list[tuple[str, str]]) -> None:
    """An ``xs:sequence`` of optional, nillable elements: partial updates omit, nulls are ``xsi:nil``."""
    sequence = etree.SubElement(complex_type, _x("sequence"))
    for name, type_name in fields:
        attrs = {"minOccurs": "0", "maxOccurs": "1", "name": name, "nillable": "true", "type": type_name}
        etree.SubElement(sequence, _x("element"), attrs)


def _schema(definitions: etree._Element) -> None:
    types = etree.SubElement(definitions, _w("types"))
    schema = etree.SubElement(
        types,
        _x("schema"),
        nsmap={"s": XSD_NS, "tns": OPERATION_NS},  # self-contained: usable as a standalone XML Schema
        elementFormDefault="qualified",
        targetNamespace=OPERATION_NS,
    )
    for operation, (params, result_type) in OPERATIONS.items():
        request = etree.SubElement(schema, _x("element"), name=operation)
        _sequence(etree.SubElement(request, _x("complexType")), params)
        response = etree.SubElement(schema, _x("element"), name=f"{operation}Response")
        _sequence(etree.SubElement(response, _x("complexType")), [(f"{operation}Result", result_type)])
    for name, fields in TYPES.items():
        _sequence(etree.SubElement(schema, _x("complexType"), name=name), fields)
    guid = etree.SubElement(schema, _x("simpleType"), name="guid")
    pattern = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    etree.SubElement(etree.SubElement(guid, _x("restriction"), base="s:string"), _x("pattern"), value=pattern)
    for name, (item, type_name) in ARRAYS.items():
        sequence = etree.SubElement(etree.SubElement(schema, _x("complexType"), name=name), _x("sequence"))
        attrs = {
            "minOccurs": "0",
            "maxOccurs": "unbounded",
            "name": item,
            "nillable": "true",
            "type": type_name,
        }
        etree.SubElement(sequence, _x("element"), attrs)


@lru_cache(maxsize=8)
def wsdl_document(location: str) -> bytes:
    """The WSDL with ``location`` as the service address."""
    nsmap = {"wsdl": WSDL_NS, "s": XSD_NS, "soap12": SOAP12_BINDING_NS, "tns": OPERATION_NS}
    definitions = etree.Element(_w("definitions"), nsmap=nsmap, targetNamespace=OPERATION_NS)
    _schema(definitions)
    for operation in OPERATIONS:
        for suffix, element in (("SoapIn", operation), ("SoapOut", f"{operation}Response")):
            message = etree.SubElement(definitions, _w("message"), name=f"{operation}{suffix}")
            etree.SubElement(message, _w("part"), name="parameters", element=f"tns:{element}")
    port_type = etree.SubElement(definitions, _w("portType"), name="WebServiceSoap")
    binding = etree.SubElement(definitions, _w("binding"), name="WebServiceSoap12", type="tns:WebServiceSoap")
    etree.SubElement(
        binding, f"{{{SOAP12_BINDING_NS}}}binding", transport="http://schemas.xmlsoap.org/soap/http"
    )
    for operation in OPERATIONS:
        op = etree.SubElement(port_type, _w("operation"), name=operation)
        etree.SubElement(op, _w("input"), message=f"tns:{operation}SoapIn")
        etree.SubElement(op, _w("output"), message=f"tns:{operation}SoapOut")
        bound = etree.SubElement(binding, _w("operation"), name=operation)
        action = f"{OPERATION_NS}/{operation}"
        etree.SubElement(bound, f"{{{SOAP12_BINDING_NS}}}operation", soapAction=action, style="document")
        for direction in ("input", "output"):
            etree.SubElement(
                etree.SubElement(bound, _w(direction)), f"{{{SOAP12_BINDING_NS}}}body", use="literal"
            )
    service = etree.SubElement(definitions, _w("service"), name="WebService")
    port = etree.SubElement(service, _w("port"), name="WebServiceSoap12", binding="tns:WebServiceSoap12")
    etree.SubElement(port, f"{{{SOAP12_BINDING_NS}}}address", location=location)
    return b'<?xml version="1.0" encoding="utf-8"?>' + etree.tostring(definitions, encoding="utf-8")
