"""Logs and error messages: one line per call, and no secrets or personal data anywhere in them."""

from __future__ import annotations

import base64
import json
import logging
import re
import uuid

import pytest
from hook_test_service import FAST_RETRY, ScriptedService, Step

from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import (
    AmbiguousWriteError,
    UnprocessableError,
    redact_excerpt,
)
from jetshop_hogia_simulators.common.server import ThreadedServer

CLIENT_SECRET = "hogia-client-secret-4711"
JETSHOP_PASSWORD = "jetshop-password-0815"
ACCESS_TOKEN = "tok-abcdef-0123456789-secret"
EMAIL = "anna.svensson@example.se"
PHONE = "+46 70 123 45 67"
ORG = uuid.uuid4()


def _connections(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_HOGIA_LOGS",
        json.dumps(
            {
                "conn_type": "hogia_smart",
                "host": url,
                "login": "alpha",
                "password": CLIENT_SECRET,
                "extra": {"organisation_id": str(ORG)},
            }
        ),
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_JETSHOP_LOGS",
        json.dumps(
            {"conn_type": "jetshop", "host": f"{url}/ws.asmx", "login": "alpha", "password": JETSHOP_PASSWORD}
        ),
    )


def test_calls_log_one_line_each_without_secrets_or_personal_data(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    service: ScriptedService,
    server: ThreadedServer,
) -> None:
    _connections(monkeypatch, server.url)
    refusal = json.dumps(
        [
            {
                "errorCode": "E1",
                "message": f"Contact {EMAIL} with phone {PHONE} already exists",
                "sequentialId": 1,
            }
        ]
    ).encode()
    service.then(
        Step(body=json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600}).encode()),
        Step(422, body=refusal),
        Step(drop="after"),
        Step(body=b"<ok/>"),
    )
    errors: list[str] = []
    with caplog.at_level(logging.DEBUG):
        with HogiaSmartHook("hogia_logs", retry=FAST_RETRY) as hogia:
            with pytest.raises(UnprocessableError) as refused:
                hogia.request("GET", "contacts", params={"email": EMAIL}, operation="contacts.find")
            errors.append(str(refused.value))
            with pytest.raises(AmbiguousWriteError) as lost:
                hogia.request("POST", "contacts", json_body={"email": EMAIL, "phone": PHONE})
            errors.append(str(lost.value))
        with JetshopHook("jetshop_logs", retry=FAST_RETRY) as jetshop:
            jetshop.call("Order_Get", f"<Email>{EMAIL}</Email>".encode(), idempotent=True)

    # what went over the wire really contained the secrets, so their absence below means something
    assert service.requests[1].headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert service.requests[1].query["email"] == EMAIL
    basic = base64.b64encode(f"alpha:{JETSHOP_PASSWORD}".encode()).decode()
    everything = caplog.text + "\n".join(errors)
    for secret in (CLIENT_SECRET, JETSHOP_PASSWORD, ACCESS_TOKEN, basic, EMAIL, PHONE, "46701234567"):
        assert secret not in everything
    assert "Bearer" not in caplog.text
    assert "Authorization" not in caplog.text

    call_lines = [r.getMessage() for r in caplog.records if " call operation=" in r.getMessage()]
    assert len(call_lines) == 4
    pattern = (
        r"operation=\S+ method=[A-Z]+ status=(\d{3}|-) attempt=\d+ duration_ms=\d+ bytes=\d+ outcome=\w+"
    )
    assert all(re.search(pattern, line) for line in call_lines), call_lines
    assert any("operation=contacts.find method=GET status=422 attempt=1" in line for line in call_lines)
    assert any("outcome=AmbiguousWriteError" in line for line in call_lines)
    assert "E1" in errors[0], "the redacted excerpt still helps diagnosis"


def test_derived_secrets_are_registered_with_airflows_masker(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    from airflow.sdk._shared.secrets_masker import redact

    _connections(monkeypatch, server.url)
    service.then(Step(body=json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600}).encode()))
    with HogiaSmartHook("hogia_logs", retry=FAST_RETRY) as hogia:
        assert hogia.tokens.get() == ACCESS_TOKEN
    JetshopHook("jetshop_logs").config  # noqa: B018 - parsing registers the secrets
    basic = base64.b64encode(f"alpha:{JETSHOP_PASSWORD}".encode()).decode()
    masked = str(redact(f"token={ACCESS_TOKEN} secret={CLIENT_SECRET} header=Basic {basic}"))
    for secret in (ACCESS_TOKEN, CLIENT_SECRET, basic):
        assert secret not in masked


@pytest.mark.parametrize(
    ("body", "leak"),
    [
        (b'{"email": "kund@example.com"}', "kund@example.com"),
        (b"Ring 070-123 45 67 om leveransen", "070-123 45 67"),
        (b'{"client_secret": "abc123XYZ", "x": 1}', "abc123XYZ"),
        (b"grant_type=client_credentials&client_secret=zzz999&client_id=a", "zzz999"),
        (b"<Password>hunter22</Password>", "hunter22"),
        (b"Authorization: Bearer eyJhbGciOi.abc", "eyJhbGciOi"),
        (b"GET /contacts?email=a%40b.se&x=1 failed", "a%40b.se"),
    ],
)
def test_redact_excerpt_blanks_personal_data_and_credentials(body: bytes, leak: str) -> None:
    assert leak not in redact_excerpt(body)


def test_redact_excerpt_is_short_and_single_line() -> None:
    excerpt = redact_excerpt(b"line one\nline two " + b"x" * 1000)
    assert len(excerpt) <= 200
    assert "\n" not in excerpt
    assert redact_excerpt(b"") == ""
    assert redact_excerpt(b"Total 231.2000 SEK, 3 rows") == "Total 231.2000 SEK, 3 rows"  # amounts survive
