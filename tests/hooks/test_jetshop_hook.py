"""JetshopHook's envelope transport against a tiny ASMX-shaped app on 127.0.0.1.

SOAP encoding and parsing belong to ``jetshop_hogia.soap``; here the envelope is opaque bytes and the
test checks what the hook adds: Basic auth, the SOAP 1.2 content type, the endpoint, and the fault
classifier that makes ``Sender`` faults (HTTP 500) permanent. Faults are built with ``jetshop_hogia.soap``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from hook_test_service import FAST_RETRY

from jetshop_hogia import soap
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.jetshop_faults import SoapSenderFault
from jetshop_hogia_provider.transport import AmbiguousWriteError, AuthenticationError, TransientError
from jetshop_hogia_simulators.common.server import running

PATH = "/Webservice20/v3.0/webservice.asmx"
USER, PASSWORD = "alpha", "alpha-jetshop-pw"
ENVELOPE = b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"/>'
SENDER_FAULT = soap.build_fault("Sender", "Server was unable to read request. Input string was not valid.")
RECEIVER_FAULT = soap.build_fault("Receiver", "Database timeout")


class Asmx:
    """Remembers requests; answers 500 with a Sender fault to ``bad``, a Receiver fault to ``receiver``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.endpoint = ""

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post(PATH)
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            self.requests.append((dict(request.headers), body))
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if request.headers.get("authorization") != expected:
                return Response(status_code=401)
            if b"bad" in body:
                return Response(SENDER_FAULT, status_code=500, media_type="application/soap+xml")
            if b"receiver" in body:
                return Response(RECEIVER_FAULT, status_code=500, media_type="application/soap+xml")
            return Response(b"<ok/>" + body, media_type="application/soap+xml; charset=utf-8")

        return app


@pytest.fixture
def asmx(monkeypatch: pytest.MonkeyPatch) -> Iterator[Asmx]:
    service = Asmx()
    with running(service.app()) as server:
        service.endpoint = f"{server.url}{PATH}"
        _connect(monkeypatch, service.endpoint, PASSWORD)
        yield service


def _connect(monkeypatch: pytest.MonkeyPatch, host: str, password: str, **extra: Any) -> None:
    conn = {
        "conn_type": "jetshop",
        "host": host,
        "login": USER,
        "password": password,
        "extra": {"shop_id": 7, "cultures": "sv-SE, nb-NO", **extra},
    }
    monkeypatch.setenv("AIRFLOW_CONN_JETSHOP_TEST", json.dumps(conn))


def test_constructing_the_hook_does_no_io() -> None:
    hook = JetshopHook("no_such_connection")
    assert hook.jetshop_conn_id == "no_such_connection"


def test_call_posts_the_envelope_with_basic_auth_and_soap_content_type(asmx: Asmx) -> None:
    with JetshopHook("jetshop_test", retry=FAST_RETRY) as hook:
        response = hook.call("Order_Get", ENVELOPE, idempotent=True)
        assert hook.cultures == ("sv-SE", "nb-NO")
        assert hook.config.shop_id == "7"
    assert response.content == b"<ok/>" + ENVELOPE
    assert response.content_type == "application/soap+xml"
    headers, body = asmx.requests[0]
    assert body == ENVELOPE
    assert headers["content-type"] == "application/soap+xml; charset=utf-8"


def test_a_sender_fault_is_permanent_and_sent_once(asmx: Asmx) -> None:
    with JetshopHook("jetshop_test", retry=FAST_RETRY) as hook, pytest.raises(SoapSenderFault) as caught:
        hook.call("Product_AddUpdate", b"<bad/>", idempotent=True)
    assert len(asmx.requests) == 1
    assert caught.value.status == 500
    assert caught.value.fault.is_sender
    assert "unable to read request" in caught.value.fault.reason  # for code that reads it …
    assert "unable to read request" not in str(caught.value)  # … but never quoted in logs (free text)
    assert "soap:Sender" in str(caught.value)


def test_a_receiver_fault_is_a_server_error_and_retried(asmx: Asmx) -> None:
    with JetshopHook("jetshop_test", retry=FAST_RETRY) as hook:
        with pytest.raises(TransientError):
            hook.call("Order_Get", b"<receiver/>", idempotent=True)
        assert len(asmx.requests) == FAST_RETRY.max_attempts
        with pytest.raises(AmbiguousWriteError):  # a write the server failed on may have been applied
            hook.call("Order_Create", b"<receiver/>", idempotent=False)


def test_without_the_soap_classifier_a_sender_fault_would_be_retried_in_vain(asmx: Asmx) -> None:
    hook = JetshopHook("jetshop_test", retry=FAST_RETRY, fault_classifier=None)
    with hook, pytest.raises(TransientError):
        hook.call("Product_AddUpdate", b"<bad/>", idempotent=True)
    assert len(asmx.requests) == FAST_RETRY.max_attempts


def test_a_wrong_password_is_an_authentication_error(asmx: Asmx, monkeypatch: pytest.MonkeyPatch) -> None:
    _connect(monkeypatch, asmx.endpoint, "not-the-password")
    with JetshopHook("jetshop_test", retry=FAST_RETRY) as hook, pytest.raises(AuthenticationError) as caught:
        hook.call("Order_Get", ENVELOPE, idempotent=True)
    assert caught.value.status == 401
    assert "not-the-password" not in str(caught.value)
    assert len(asmx.requests) == 1
