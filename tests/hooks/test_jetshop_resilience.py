"""JetshopHook when things go wrong: Sender faults, resets, and hostile or broken answers.

Sender faults and resets come from the running simulator (its call counters prove what was retried);
hostile XML (XXE, billion laughs) comes from a tiny local FastAPI app, because a real simulator never
sends it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sim_connections import FAST_RETRY, jetshop_connection

from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate
from jetshop_hogia.apimodel.jetshop_products import PriceListRow
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.jetshop_faults import SoapSenderFault
from jetshop_hogia_provider.hooks.jetshop_soap import JetshopResponseError
from jetshop_hogia_provider.transport import PermanentError
from jetshop_hogia_simulators.common.server import running
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

ENVELOPE_HEAD = (
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
    '<Order_GetResponse xmlns="WebServiceProvider"><Order_GetResult><OrderData>'
)
ENVELOPE_TAIL = "</OrderData></Order_GetResult></Order_GetResponse></soap:Body></soap:Envelope>"


def calls(sim: JetshopSimHandle) -> dict[str, int]:
    counted: dict[str, int] = sim.admin("GET", "calls")["calls"]
    return counted


@pytest.fixture
def alpha(jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[JetshopHook]:
    with JetshopHook(jetshop_connection(monkeypatch, jetshop_sim, "js_faults"), retry=FAST_RETRY) as hook:
        yield hook


def test_a_sender_fault_is_permanent_and_sent_once(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    shop = jetshop_sim.simulator.state.shops["alpha"]
    product = next(iter(shop.products.values()))
    before = product.prices[shop.default_price_list].price
    good = PriceListRow(
        article_number=product.article_number, price_list_id=shop.default_price_list, price_inc_vat=1
    )
    # what a caller bypassing validation would send: a decimal where Jetshop parses an integer
    bad = PriceListRow.model_construct(**{**good.model_dump(), "price_inc_vat": Decimal("99.50")})
    with pytest.raises(SoapSenderFault) as caught:
        alpha.price_list_update_inc_vat([good, bad])
    assert isinstance(caught.value, PermanentError)
    assert caught.value.status == 500
    assert calls(jetshop_sim)["PriceList_UpdateArticleIncVAT"] == 1, "a Sender fault must not be retried"
    assert shop.products[product.article_number].prices[shop.default_price_list].price == before, (
        "the whole batch is rejected"
    )


def test_a_connection_reset_on_a_read_is_retried(alpha: JetshopHook, jetshop_sim: JetshopSimHandle) -> None:
    order_id, stored = next(iter(jetshop_sim.simulator.state.shops["alpha"].orders.items()))
    jetshop_sim.admin("PUT", "faults", {"reset_share": 0.5, "seed": 1, "operations": ["Order_Get"]})
    assert alpha.get_order(order_id) == stored
    counters = jetshop_sim.admin("GET", "calls")
    assert counters["faults_injected"] == {"reset": 1}
    assert counters["calls"]["Order_Get"] == 2


def test_a_lost_answer_on_an_idempotent_status_write_is_retried_safely(
    alpha: JetshopHook, jetshop_sim: JetshopSimHandle
) -> None:
    order_id = next(iter(jetshop_sim.simulator.state.shops["alpha"].orders))
    jetshop_sim.admin(
        "PUT", "faults", {"lost_response_share": 0.5, "seed": 1, "operations": ["Order_SetStatus"]}
    )
    update = OrderStatusUpdate(order_id=order_id, status_id=2, send_mail_to_customer=True)
    assert alpha.set_order_status([update])[0].success
    assert calls(jetshop_sim)["Order_SetStatus"] == 2
    assert len(jetshop_sim.admin("GET", "mails")) == 1, "the repeat changed nothing"


class HostileShop:
    """Answers every SOAP call with one fixed body and counts the calls."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.calls = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/ws.asmx")
        async def endpoint(request: Request) -> Response:
            await request.body()
            self.calls += 1
            return Response(self.body, media_type="application/soap+xml; charset=utf-8")

        return app


@contextmanager
def hostile_hook(monkeypatch: pytest.MonkeyPatch, body: bytes) -> Iterator[tuple[JetshopHook, HostileShop]]:
    """A hook whose shop answers every call with ``body`` (HTTP 200)."""
    shop = HostileShop(body)
    with running(shop.app()) as server:
        conn = {"conn_type": "jetshop", "host": f"{server.url}/ws.asmx", "login": "u", "password": "p-123456"}
        monkeypatch.setenv("AIRFLOW_CONN_JS_HOSTILE", json.dumps(conn))
        with JetshopHook("js_hostile", retry=FAST_RETRY) as hook:
            yield hook, shop


def test_an_xxe_answer_is_refused_without_reading_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f"{ENVELOPE_HEAD}<OrderId>1</OrderId><OrderNumber>&xxe;</OrderNumber>{ENVELOPE_TAIL}"
    ).encode()
    with hostile_hook(monkeypatch, body) as (hook, shop):
        with pytest.raises(JetshopResponseError, match="unsafe XML") as caught:
            hook.get_order(1)
        assert shop.calls == 1, "an unsafe answer is not fetched again"
        assert "TOP-SECRET-MARKER" not in str(caught.value)


def test_a_billion_laughs_answer_is_refused_before_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        f"{ENVELOPE_HEAD}<OrderNumber>&lol9;</OrderNumber>{ENVELOPE_TAIL}"
    ).encode()
    with hostile_hook(monkeypatch, body) as (hook, shop):
        with pytest.raises(JetshopResponseError, match="unsafe XML"):
            hook.get_order(1)
        assert shop.calls == 1


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html><body>Service Unavailable</body></html>", "not a usable SOAP response"),
        (f"{ENVELOPE_HEAD}<OrderId>one</OrderId>{ENVELOPE_TAIL}".encode(), "does not fit the model"),
    ],
)
def test_unusable_2xx_answers_are_permanent_errors(
    monkeypatch: pytest.MonkeyPatch, body: bytes, match: str
) -> None:
    with hostile_hook(monkeypatch, body) as (hook, shop):
        with pytest.raises(JetshopResponseError, match=match):
            hook.get_order(1)
        assert shop.calls == 1
