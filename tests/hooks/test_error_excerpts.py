"""Error bodies reach logs and messages only as codes, field names and ids (issue 8, item 6).

A Hogia 422 whose message named a customer and a street address used to put both into WARNING lines:
masking e-mails and digit runs does not catch a name. Now no free text of a body is quoted at all, and a
body that is not JSON is an error naming the operation and the HTTP status.
"""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from hook_test_service import ScriptedService, Step

from jetshop_hogia import soap
from jetshop_hogia.errors import UnreadableResponseError
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.transport import NO_RETRY, UnprocessableError, body_summary
from jetshop_hogia_simulators.common.server import ThreadedServer

ORG = uuid.uuid4()
PERSONAL = ("Anna", "Svensson", "Storgatan", "Göteborg", "411 38", "031-12 34 56", "Lisa Berg")
TOKEN = Step(body=b'{"access_token": "tok-excerpt", "expires_in": 3600}')


def _hogia(monkeypatch: pytest.MonkeyPatch, url: str) -> HogiaSmartHook:
    conn = {
        "conn_type": "hogia_smart",
        "host": url,
        "login": "alpha",
        "password": "secret-excerpt",
        "extra": {"organisation_id": str(ORG)},
    }
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_EXCERPT", json.dumps(conn))
    return HogiaSmartHook("hogia_excerpt", retry=NO_RETRY)


def test_a_422_naming_a_customer_and_address_leaves_no_personal_data_in_logs(
    monkeypatch: pytest.MonkeyPatch,
    service: ScriptedService,
    server: ThreadedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    business = [
        {
            "errorCode": "CustomerAddressInvalid",
            "errorScopeId": "invoiceAddress.postalCode",
            "message": "Kunden Anna Svensson, Storgatan 12, 411 38 Göteborg (tel 031-12 34 56) saknar land",
            "sequentialId": 1,
        }
    ]
    problem = {
        "type": "https://tools.ietf.org/html/rfc4918#section-11.2",
        "title": "Anna Svensson could not be saved",
        "status": 422,
        "errors": {"customer.name": ["'Lisa Berg' is too long"], "invoiceAddress.street": ["Storgatan 12?"]},
        "traceId": "00-abc123-01",
    }
    service.then(
        TOKEN, Step(422, body=json.dumps(business).encode()), Step(422, body=json.dumps(problem).encode())
    )
    errors: list[str] = []
    with caplog.at_level(logging.DEBUG), _hogia(monkeypatch, server.url) as hook:
        for _ in range(2):
            with pytest.raises(UnprocessableError) as caught:
                hook.request("POST", "customerinvoices", json_body={}, operation="customerinvoices.create")
            errors.append(str(caught.value))
            logging.getLogger("test").warning("push failed: %s", caught.value)  # what a stream logs

    assert "status=422" in caplog.text, "the call lines were captured"
    everything = caplog.text + "\n".join(errors)
    for value in PERSONAL:
        assert value not in everything, f"{value!r} reached a log line or message"
    assert "errorCode=CustomerAddressInvalid" in errors[0]
    assert "errorScopeId=invoiceAddress.postalCode" in errors[0]
    assert "fields=customer.name,invoiceAddress.street" in errors[1]
    assert "traceId=00-abc123-01" in errors[1]
    assert caught.value.response is not None
    assert caught.value.response.json()["errors"]["customer.name"], "the full body stays available to code"


def test_a_non_json_200_from_hogia_names_the_operation_and_status(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    portal = b"<!DOCTYPE html><html><body>Welcome back, Anna Svensson</body></html>"
    service.then(TOKEN, Step(200, body=portal, headers={"Content-Type": "text/html; charset=utf-8"}))
    with _hogia(monkeypatch, server.url) as hook, pytest.raises(UnreadableResponseError) as caught:
        hook.company()
    message = str(caught.value)
    assert not isinstance(caught.value, json.JSONDecodeError)
    assert caught.value.operation == "company.get"
    assert caught.value.status == 200
    assert message.startswith("company.get HTTP 200")
    assert "not JSON" in message
    assert "text/html" in message
    assert "Anna" not in message


def test_a_truncated_json_page_is_unreadable_too(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(TOKEN, Step(200, body=b'[{"number": "K-1", "givenName": "An'))
    with _hogia(monkeypatch, server.url) as hook, pytest.raises(UnreadableResponseError) as caught:
        list(hook.iter_contacts())
    assert caught.value.operation == "contacts.list"
    assert "givenName" not in str(caught.value)


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        (
            b'[{"errorCode": "E1", "message": "Anna Svensson exists", "sequentialId": 3}]',
            ["errorCode=E1"],
            ["Anna"],
        ),
        (
            b'{"title": "Kund Anna", "status": 400, "errors": {"email": ["anna@x.se is taken"]}}',
            ["status=400", "fields=email"],
            ["Anna", "anna@x.se"],
        ),
        (b'"Entity Anna Svensson not found"', ["JSON text"], ["Anna"]),
        (
            b'{"error": "invalid_client", "error_description": "client Anna unknown"}',
            ["error=invalid_client"],
            ["Anna"],
        ),
        (b'{"errorCode": "Storgatan 12"}', ["JSON without error codes"], ["Storgatan"]),
        (b"<html><body>Hej Anna</body></html>", ["HTML body of"], ["Anna"]),
        (b"Anna Svensson, Storgatan 12", ["non-JSON body of 27 bytes"], ["Anna", "Storgatan"]),
        (soap.build_fault("Sender", "Kunden Anna Svensson saknas"), ["fault codes soap:Sender"], ["Anna"]),
    ],
)
def test_body_summary_keeps_codes_field_names_and_ids_only(
    body: bytes, kept: list[str], dropped: list[str]
) -> None:
    summary = body_summary(body)
    for part in kept:
        assert part in summary
    for part in dropped:
        assert part not in summary
    assert "\n" not in summary
    assert len(summary) <= 200


def test_per_item_failures_quote_codes_but_never_the_services_messages() -> None:
    from jetshop_hogia.apimodel.jetshop_orders import OrderStatusResult
    from jetshop_hogia.apimodel.jetshop_products import ProductDeleteResult
    from jetshop_hogia_provider.hooks.jetshop_results import JetshopItemsFailedError, raise_for_failures

    results = [
        OrderStatusResult(order_id=7, success=False, message="Anna Svensson, Storgatan 12: order is locked"),
        OrderStatusResult(order_id=8, success=True),
    ]
    with pytest.raises(JetshopItemsFailedError) as caught:
        raise_for_failures("Order_SetStatus", results)
    assert "order 7" in str(caught.value)
    assert "Anna" not in str(caught.value)
    assert "Storgatan" not in str(caught.value)
    deleted = ProductDeleteResult(identifier="A-1", result="Failed")
    with pytest.raises(JetshopItemsFailedError, match="Result=Failed"):
        raise_for_failures("Product_Delete", [deleted])
