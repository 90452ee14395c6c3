"""The order wire model as the first line of poison-proofing: one normalised number, errors that say where."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from jetshop_hogia import soap
from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import OrderHeader, normalise_order_number
from jetshop_hogia.apimodel.jetshop_orders_fields import reportable_value
from jetshop_hogia_simulators.seed import generate_world

ORDER = next(iter(generate_world(7, orders_per_shop=3).orders.values()))[0]


def _decoded_after(edit: tuple[str, str | None]) -> object:
    """Encode the order, change one element's text (None: remove it), decode again."""
    result = soap.start_response(codec.ORDER_GET)
    codec.encode_order(result, ORDER)
    node = next(n for n in result.iter() if soap.local_name(n) == edit[0])
    if edit[1] is None:
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)
    else:
        node.text = edit[1]
    return codec.decode_order(soap.parse_response(soap.serialize(result), codec.ORDER_GET))


@pytest.mark.parametrize(
    ("raw", "normalised"), [("A100", "A100"), ("  A100 ", "A100"), ("\tA100\n", "A100"), ("A 100", "A 100")]
)
def test_an_order_number_is_normalised_once_in_the_model(raw: str, normalised: str) -> None:
    assert normalise_order_number(raw) == normalised
    header = OrderHeader(
        order_id=1, order_number=raw, channel_id=1, status_id=2, changed_date=datetime.now(UTC)
    )
    assert header.order_number == normalised
    assert _decoded_after(("OrderNumber", raw)).order_number == normalised  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw", ["", "   ", "A\x00100", "A\u200b100", "A" * 65])
def test_an_unusable_order_number_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="order number"):
        normalise_order_number(raw)


@pytest.mark.parametrize(
    ("element", "text", "shown"),
    [
        ("OrderNumber", None, "''"),
        ("Quantity", "abc", "'abc'"),
        ("UnitPriceIncVat", "119,00", "'119,00'"),
        ("RowType", "Voucher", "'Voucher'"),
        ("OrderDate", "2026-13-45T10:00:00", "'2026-13-45T10:00:00'"),
        ("Quantity", "1" + "0" * 30, "'" + "1" + "0" * 30 + "'"),
    ],
)
def test_a_decoding_error_names_the_element_and_the_value(element: str, text: str | None, shown: str) -> None:
    with pytest.raises(soap.XmlValueError) as caught:
        _decoded_after((element, text))
    assert caught.value.element_name == element
    assert reportable_value(caught.value.element_name, caught.value.value) == shown


def test_personal_values_are_withheld_from_reasons() -> None:
    assert "withheld" in reportable_value("BillingAddress", "Storgatan 1")
    assert "withheld" in reportable_value("FirstName", "Anna")
    assert "withheld" in reportable_value("Email", "anna@example.com")
    assert reportable_value("Quantity", "x" * 100).endswith("…'")


def test_an_implausible_year_is_a_model_error_not_a_crash_downstream() -> None:
    with pytest.raises(ValidationError, match="year 9999"):
        OrderHeader(
            order_id=1,
            order_number="A1",
            channel_id=1,
            status_id=2,
            changed_date=datetime(9999, 1, 1, tzinfo=UTC),
        )
