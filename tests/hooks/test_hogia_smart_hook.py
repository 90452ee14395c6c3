"""HogiaSmartHook's generic request layer against a tiny Hogia-shaped app on 127.0.0.1.

The app implements only what the layer must get right: the token endpoint, bearer checks, the
organisation prefix, ``api-version``, paging headers and a non-idempotent create.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, Response
from hook_test_service import FAST_RETRY

from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.transport import AmbiguousWriteError, AuthenticationError, NotFoundError
from jetshop_hogia_simulators.common.asgi import ConnectionDropMiddleware, mark_drop
from jetshop_hogia_simulators.common.server import running

ORG = uuid.UUID("8f0e7e4c-1b52-4a43-9a5e-2f7b1c0d9e11")
CLIENT_ID, CLIENT_SECRET = "alpha", "alpha-hogia-secret"


@dataclass
class HogiaState:
    """What the fake service remembers."""

    valid_tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    invoices: list[dict[str, Any]] = field(default_factory=list)
    invoice_posts: int = 0
    lose_next_answer: bool = False
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def hogia_app(state: HogiaState) -> ConnectionDropMiddleware:  # noqa: C901 - one small handler per route
    app = FastAPI()

    @app.post("/connect/token")
    def token(
        grant_type: str = Form(...), client_id: str = Form(...), client_secret: str = Form(...)
    ) -> Response:
        with state.lock:
            state.token_requests += 1
        if grant_type != "client_credentials" or (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=400)
        value = f"tok-{secrets.token_hex(8)}"
        state.valid_tokens.add(value)
        return JSONResponse({"access_token": value, "expires_in": 3600, "token_type": "Bearer"})

    def guard(request: Request, org: str) -> Response | None:
        state.seen.append((request.url.path, dict(request.query_params)))
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if bearer not in state.valid_tokens:
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401)
        if request.query_params.get("api-version") != "2025-06-01":
            return JSONResponse({"title": "Unsupported api-version", "status": 400}, status_code=400)
        if org != str(ORG):
            return JSONResponse("Entity not found", status_code=404)
        return None

    @app.get("/{org}/company")
    def company(request: Request, org: str) -> Response:
        return guard(request, org) or JSONResponse(
            {
                "id": str(ORG),
                "name": "Alpha AB",
                "roundingMode": "none",
                "modules": ["Bokforing", "Fakturering"],
            }
        )

    @app.get("/{org}/articles")
    def articles(request: Request, org: str, page: int = 1, pageSize: int = 100) -> Response:
        if (refusal := guard(request, org)) is not None:
            return refusal
        rows = [{"number": f"A{i:03d}", "price": 10.5} for i in range(7)]
        page_count = max(1, -(-len(rows) // pageSize))
        chunk = rows[(page - 1) * pageSize : page * pageSize]
        headers = {"X-Pagination-Currentpage": str(page), "X-Pagination-Pagecount": str(page_count)}
        return JSONResponse(chunk, headers=headers)

    @app.post("/{org}/customerinvoices")
    async def create_invoice(request: Request, org: str) -> Response:
        if (refusal := guard(request, org)) is not None:
            return refusal
        body = json.loads(await request.body())
        with state.lock:
            state.invoice_posts += 1
            state.invoices.append(body)
            lose, state.lose_next_answer = state.lose_next_answer, False
        if lose:
            mark_drop(request)
        return JSONResponse(str(uuid.uuid4()), status_code=201)

    return ConnectionDropMiddleware(app)


@pytest.fixture
def hogia() -> Iterator[tuple[HogiaState, str]]:
    state = HogiaState()
    with running(hogia_app(state)) as server:
        yield state, server.url


def _connect(monkeypatch: pytest.MonkeyPatch, url: str, *, secret: str = CLIENT_SECRET, **extra: Any) -> None:
    conn = {
        "conn_type": "hogia_smart",
        "host": url,
        "login": CLIENT_ID,
        "password": secret,
        "extra": {"organisation_id": str(ORG), "rate_limit_requests": 1000, **extra},
    }
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_TEST", json.dumps(conn))


def test_constructing_the_hook_does_no_io() -> None:
    hook = HogiaSmartHook("no_such_connection")  # would raise if it looked the connection up
    assert hook.hogia_smart_conn_id == "no_such_connection"


def test_token_is_fetched_once_and_sent_with_org_prefix_and_api_version(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    state, url = hogia
    _connect(monkeypatch, url)
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook:
        assert hook.request_json("GET", "company")["name"] == "Alpha AB"
        assert hook.request_json("GET", "/company")["name"] == "Alpha AB"
        ok, message = hook.test_connection()
        assert ok
        assert message.startswith("Connected to Hogia Smart company 'Alpha AB'")
    assert state.token_requests == 1
    assert state.seen[0] == (f"/{ORG}/company", {"api-version": "2025-06-01"})


def test_a_refused_token_is_renewed_once(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    state, url = hogia
    _connect(monkeypatch, url)
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook:
        hook.request("GET", "company")
        state.valid_tokens.clear()  # the server forgot every token (expiry, restart)
        assert hook.request("GET", "company").status == 200
    assert state.token_requests == 2


def test_wrong_client_secret_is_an_authentication_error_without_the_secret(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    _, url = hogia
    _connect(monkeypatch, url, secret="wrong-secret-value")
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook, pytest.raises(AuthenticationError) as caught:
        hook.request("GET", "company")
    assert "wrong-secret-value" not in str(caught.value)
    ok, message = HogiaSmartHook("hogia_test", retry=FAST_RETRY).test_connection()
    assert not ok
    assert "token request refused" in message


def test_wrong_organisation_is_not_found(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    _, url = hogia
    _connect(monkeypatch, url)
    monkeypatch.setenv(
        "AIRFLOW_CONN_HOGIA_OTHER",
        json.dumps(
            {
                "conn_type": "hogia_smart",
                "host": url,
                "login": CLIENT_ID,
                "password": CLIENT_SECRET,
                "extra": {"organisation_id": str(uuid.uuid4())},
            }
        ),
    )
    with HogiaSmartHook("hogia_other", retry=FAST_RETRY) as hook, pytest.raises(NotFoundError) as caught:
        hook.request("GET", "company")
    assert caught.value.response is not None
    assert caught.value.response.json() == "Entity not found"


def test_pages_are_followed_by_the_pagination_headers(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    state, url = hogia
    _connect(monkeypatch, url)
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook:
        pages = list(hook.iter_pages("articles", page_size=3))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert pages[0][0]["price"] == Decimal("10.5")  # fractions arrive as Decimal, never float
    assert [query["page"] for _, query in state.seen] == ["1", "2", "3"]


def test_a_post_whose_answer_is_lost_is_ambiguous_and_created_once(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    state, url = hogia
    _connect(monkeypatch, url)
    body = {
        "customerInvoice": {"customerOrderNumber": "10001"},
        "invoiceLines": [{"unitPrice": Decimal("99.90")}],
    }
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook:
        invoice_id = hook.request_json("POST", "customerinvoices", json_body=body)
        assert uuid.UUID(invoice_id)
        state.lose_next_answer = True
        with pytest.raises(AmbiguousWriteError):
            hook.request("POST", "customerinvoices", json_body=body, operation="customerinvoices.create")
    assert state.invoice_posts == 2
    assert len(state.invoices) == 2
    assert state.invoices[0]["invoiceLines"][0]["unitPrice"] == 99.90


def test_an_explicitly_idempotent_post_is_retried_after_a_lost_answer(
    monkeypatch: pytest.MonkeyPatch, hogia: tuple[HogiaState, str]
) -> None:
    state, url = hogia
    _connect(monkeypatch, url)
    state.lose_next_answer = True
    with HogiaSmartHook("hogia_test", retry=FAST_RETRY) as hook:
        hook.request("POST", "customerinvoices", json_body={}, idempotent=True)
    assert state.invoice_posts == 2
