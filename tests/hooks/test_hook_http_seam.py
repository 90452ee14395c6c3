"""The seam to Airflow's HttpHook: what comes from the connection the HttpHook way, and what we changed.

Both hooks are ``HttpHook`` subclasses; the session (base URL, auth, proxies, ``verify``, ``cert``,
``trust_env``) is ``HttpHook``'s. These tests pin what the hooks deliberately do differently: one session
per hook, no extras as headers, no Basic auth on Hogia calls, explicit methods and timeouts, and no
error bodies in logs even through the inherited ``run()``.
"""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from airflow.providers.http.hooks.http import HttpHook
from hook_test_service import ScriptedService, Step, scripted_hook

from jetshop_hogia_provider.hooks.base import ApiHookBase
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import NO_RETRY, UnprocessableError
from jetshop_hogia_simulators.common.server import ThreadedServer

ORG = uuid.uuid4()
CLIENT_SECRET = "hogia-client-secret-3141"


def test_both_hooks_are_http_hooks_with_explicit_methods() -> None:
    jetshop, hogia = JetshopHook("jetshop_x"), HogiaSmartHook("hogia_x")
    assert isinstance(jetshop, HttpHook)
    assert isinstance(hogia, HttpHook)
    assert jetshop.http_conn_id == "jetshop_x"
    assert hogia.http_conn_id == "hogia_x"
    assert jetshop.method == "POST"  # SOAP 1.2 posts every call
    assert hogia.method == "GET"  # HttpHook's default would be POST: a write


def test_one_session_per_hook_instance_for_every_call(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    built: list[object] = []
    original = HttpHook.get_conn

    def counting(self: HttpHook, *args: object, **kwargs: object) -> object:
        session = original(self, *args, **kwargs)  # type: ignore[arg-type]
        built.append(session)
        return session

    monkeypatch.setattr(HttpHook, "get_conn", counting)
    with scripted_hook(monkeypatch, server.url) as hook:
        for _ in range(3):
            hook.send("GET", f"{server.url}/x", operation="x", idempotent=True)
        assert hook.get_conn() is built[0]
    assert len(built) == 1, "HttpHook.get_conn builds a session per call; the hook must keep one"
    assert service.calls == 3


def test_connection_extras_configure_the_session_as_httphook_does_and_never_become_headers(
    monkeypatch: pytest.MonkeyPatch, server: ThreadedServer, caplog: pytest.LogCaptureFixture
) -> None:
    proxies = {"https": "http://proxy.internal:3128"}
    hook = scripted_hook(
        monkeypatch,
        server.url,
        proxies=proxies,
        verify="/etc/ssl/company-ca.pem",
        cert="/etc/ssl/client.pem",
        trust_env=False,
        shop_id="7",
        unexpected_setting="not-a-header-value",
    )
    with caplog.at_level(logging.WARNING), hook:
        session = hook.get_conn()
    assert session.proxies == proxies
    assert session.verify == "/etc/ssl/company-ca.pem"
    assert session.cert == "/etc/ssl/client.pem"
    assert session.trust_env is False
    header_text = json.dumps({str(k): str(v) for k, v in session.headers.items()}).lower()
    for name, value in (("shop_id", "7"), ("unexpected_setting", "not-a-header-value"), ("timeout", "5.0")):
        assert name not in header_text
        assert value not in header_text
    assert "unexpected_setting" in caplog.text, "an extra nobody reads is reported by name"
    assert "not-a-header-value" not in caplog.text


def test_a_proxy_from_the_connection_carries_the_requests(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    """The host does not resolve (``.invalid``); only through the proxy — the scripted server — can an
    answer come, and the server sees the proxied request for that host."""
    hook = scripted_hook(monkeypatch, "http://shop.invalid", proxies={"http": server.url}, trust_env=False)
    with hook:
        response = hook.send(
            "GET", "http://shop.invalid/thing", operation="thing.get", idempotent=True, retry=NO_RETRY
        )
    assert response.status == 200
    assert service.requests[0].path == "/thing"
    assert service.requests[0].headers["host"] == "shop.invalid"


def test_a_bare_host_gets_https_unless_the_schema_field_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for conn_id, schema, expected in (
        ("js_https", None, "https://shop.example:8443/Webservice20/v3.0/webservice.asmx"),
        ("js_http", "http", "http://shop.example:8443/Webservice20/v3.0/webservice.asmx"),
    ):
        conn = {"conn_type": "jetshop", "host": "shop.example", "port": 8443, "login": "u", "password": "p"}
        if schema:
            conn["schema"] = schema
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
        assert JetshopHook(conn_id).config.endpoint_url == expected


def test_hogia_sends_client_credentials_only_to_the_token_endpoint(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    conn = {
        "conn_type": "hogia_smart",
        "host": server.url,
        "login": "alpha",
        "password": CLIENT_SECRET,
        "extra": {"organisation_id": str(ORG), "token_url": f"{server.url}/connect/token"},
    }
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_SEAM", json.dumps(conn))
    service.then(
        Step(body=b'{"access_token": "tok-seam-1", "expires_in": 3600}'), Step(body=b'{"name": "A"}')
    )
    with HogiaSmartHook("hogia_seam", retry=NO_RETRY) as hook:
        hook.request_json("GET", "company")
        assert hook.get_conn().auth is None, "HttpHook's Basic auth from login/password is removed"
    token_call, api_call = service.requests
    assert token_call.path == "/connect/token"
    assert "authorization" not in token_call.headers
    assert CLIENT_SECRET.encode() in token_call.body  # the form, as the OAuth2 client-credentials grant
    assert api_call.headers["authorization"] == "Bearer tok-seam-1"
    for recorded in service.requests:
        header_text = json.dumps(recorded.headers)
        for value in (CLIENT_SECRET, str(ORG), "organisation_id", "token_url"):
            assert value not in header_text


def test_the_inherited_run_is_classified_and_never_logs_the_error_body(
    monkeypatch: pytest.MonkeyPatch,
    service: ScriptedService,
    server: ThreadedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """HttpHook.check_response logs ``response.text`` at ERROR; the hooks override it and run_and_check."""
    body = json.dumps([{"errorCode": "E7", "message": "Kunden Anna Svensson, Storgatan 12 finns redan"}])
    service.then(Step(422, body=body.encode()))
    with caplog.at_level(logging.DEBUG), scripted_hook(monkeypatch, server.url) as hook:
        assert isinstance(hook, ApiHookBase)
        with pytest.raises(UnprocessableError) as caught:
            hook.run("contacts")  # HttpHook's API: endpoint below the base URL, the hook's method (POST)
    assert service.requests[0].method == "POST"
    assert service.requests[0].path == "/contacts"
    text = caplog.text + str(caught.value)
    assert "errorCode=E7" in str(caught.value)
    for personal in ("Anna", "Svensson", "Storgatan"):
        assert personal not in text
