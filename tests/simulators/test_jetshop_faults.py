"""Fault injection, safety, seeding, persistence and the command line of the Jetshop simulator."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from jetshop_wire import add_update, product_get, request, result_of

from jetshop_hogia import soap
from jetshop_hogia.apimodel import jetshop_orders_xml as codec
from jetshop_hogia.apimodel.jetshop_orders import OrderStatusUpdate
from jetshop_hogia_simulators.common.server import free_port, running
from jetshop_hogia_simulators.jetshop import create_app
from jetshop_hogia_simulators.jetshop.testing import TEST_START, JetshopSimHandle
from jetshop_hogia_simulators.seed import generate_world


def _set_status(order_id: int, status_id: int) -> bytes:
    updates = codec.encode_status_updates([OrderStatusUpdate(order_id=order_id, status_id=status_id)])
    return soap.build_request(codec.ORDER_SET_STATUS, updates, shop_id="alpha")


def _status_of(sim: JetshopSimHandle, order_id: int) -> int:
    order = codec.decode_order(sim.call(codec.ORDER_GET, codec.encode_order_request(order_id)))
    assert order is not None
    return order.status_id


@pytest.mark.parametrize("status", [500, 502, 503])
def test_injected_5xx_answers_a_soap_receiver_fault_with_that_status(
    jetshop_sim: JetshopSimHandle, status: int
) -> None:
    jetshop_sim.admin("PUT", "faults", {f"error_{status}_share": 1.0})
    response = jetshop_sim.post(product_get("1092-10"))
    assert response.status_code == status
    assert response.headers["content-type"] == soap.CONTENT_TYPE
    with pytest.raises(soap.SoapFault) as fault:
        soap.parse_response(response.content, "Product_Get", http_status=response.status_code)
    assert fault.value.is_receiver
    assert fault.value.http_status == status
    assert jetshop_sim.admin("GET", "calls")["faults_injected"] == {f"error_{status}": 1}


def test_5xx_shares_are_drawn_per_request(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("PUT", "faults", {"error_503_share": 0.5, "seed": 3})
    statuses = [jetshop_sim.post(product_get("1092-10")).status_code for _ in range(60)]
    assert set(statuses) == {200, 503}
    assert 15 <= statuses.count(503) <= 45


def test_an_outage_answers_503_to_everything(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("PUT", "faults", {"down": True})
    assert jetshop_sim.post(product_get("1092-10")).status_code == 503
    assert jetshop_sim.post(request("OrderStatus_GetList")).status_code == 503


def test_faults_can_target_one_operation(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("PUT", "faults", {"error_500_share": 1.0, "operations": ["Order_SetStatus"]})
    assert jetshop_sim.post(product_get("1092-10")).status_code == 200
    assert jetshop_sim.post(_set_status(100001, 3)).status_code == 500


def test_a_reset_drops_the_connection_before_anything_is_applied(jetshop_sim: JetshopSimHandle) -> None:
    order_id = next(iter(jetshop_sim.simulator.state.shops["alpha"].orders))
    before = _status_of(jetshop_sim, order_id)
    jetshop_sim.admin("PUT", "faults", {"reset_share": 1.0})
    with pytest.raises(requests.ConnectionError):
        jetshop_sim.post(_set_status(order_id, 6 if before != 6 else 7))
    jetshop_sim.admin("PUT", "faults", {})
    assert _status_of(jetshop_sim, order_id) == before


def test_a_hang_outlasts_a_short_client_timeout(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("PUT", "faults", {"hang_share": 1.0, "hang_seconds": 1.0})
    started = time.perf_counter()
    with pytest.raises(requests.Timeout):
        jetshop_sim.post(product_get("1092-10"), timeout=0.3)
    assert time.perf_counter() - started < 1.0


def test_a_lost_response_applies_the_write_but_the_client_sees_a_dropped_connection(
    jetshop_sim: JetshopSimHandle,
) -> None:
    order_id = next(
        o.order_id for o in jetshop_sim.simulator.state.shops["alpha"].orders.values() if o.status_id != 6
    )
    jetshop_sim.admin("PUT", "faults", {"lost_response_share": 1.0})
    with pytest.raises(requests.ConnectionError):
        jetshop_sim.post(_set_status(order_id, 6))
    jetshop_sim.admin("PUT", "faults", {})
    assert _status_of(jetshop_sim, order_id) == 6, "the write happened"
    assert jetshop_sim.admin("GET", "calls")["faults_injected"] == {"lost_response": 1}


def test_a_lost_response_on_a_read_drops_the_connection_too(jetshop_sim: JetshopSimHandle) -> None:
    jetshop_sim.admin("PUT", "faults", {"lost_response_share": 1.0})
    with pytest.raises(requests.ConnectionError):
        jetshop_sim.post(product_get("1092-10"))
    assert jetshop_sim.admin("GET", "calls")["calls"] == {"Product_Get": 1}


def test_a_crash_in_an_operation_is_a_receiver_fault(
    jetshop_sim: JetshopSimHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(jetshop_sim.simulator, "handle", crash)
    response = jetshop_sim.post(product_get("1092-10"))
    fault = soap.parse_fault(response.content, http_status=response.status_code)
    assert response.status_code == 500
    assert fault is not None
    assert fault.is_receiver
    assert "disk full" in fault.reason


# --- safety ---------------------------------------------------------------------------------------


def test_a_doctype_is_refused_without_expanding_entities(jetshop_sim: JetshopSimHandle) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body>'
        b'<Product_Get xmlns="WebServiceProvider"><productOptions><ArticleNumber>&lol2;</ArticleNumber>'
        b"</productOptions></Product_Get></soap12:Body></soap12:Envelope>"
    )
    response = jetshop_sim.post(bomb)
    assert response.status_code == 500
    fault = soap.parse_fault(response.content)
    assert fault is not None
    assert fault.is_sender
    assert "DOCTYPE" in fault.reason
    assert jetshop_sim.simulator.core.calls == {}, "refused before any operation ran"


def test_malformed_xml_and_unknown_operations_are_sender_faults(jetshop_sim: JetshopSimHandle) -> None:
    for body in (b"<not-closed>", b"{}", request("Order_Delete", {"orderRequest": {"OrderId": "1"}})):
        response = jetshop_sim.post(body)
        fault = soap.parse_fault(response.content)
        assert response.status_code == 500
        assert fault is not None
        assert fault.is_sender


def test_an_oversized_request_is_refused(jetshop_sim: JetshopSimHandle) -> None:
    body = product_get("1092-10") + b" " * soap.MAX_MESSAGE_BYTES
    assert jetshop_sim.post(body).status_code == 413


# --- seeding, reset, persistence ------------------------------------------------------------------


def test_same_seed_same_state_other_seed_other_state() -> None:
    dumps = [create_app(seed=seed, start=TEST_START).state.simulator.dump() for seed in (7, 7, 8)]
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_a_given_world_is_used_as_is() -> None:
    world = generate_world(5, start=TEST_START, orders_per_shop=2)
    sim = create_app(world=world, start=TEST_START).state.simulator
    assert sorted(sim.state.shops["alpha"].orders) == sorted(o.order_id for o in world.orders["alpha"])
    assert world.next_order_id == sim.state.next_order_id, "the caller's world is not consumed"


def test_reset_restores_the_seeded_state(jetshop_sim: JetshopSimHandle) -> None:
    seeded = jetshop_sim.admin("GET", "state")
    jetshop_sim.post(add_update({"ArticleNumber": "NEW-9", "Name": "x"}))
    jetshop_sim.admin("POST", "orders", {"shop_id": "beta", "count": 2})
    assert jetshop_sim.admin("GET", "state") != seeded
    jetshop_sim.admin("POST", "reset")
    assert jetshop_sim.admin("GET", "state") == seeded


def test_state_survives_a_restart_with_the_same_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "jetshop.sqlite"
    app = create_app(seed=42, start=TEST_START, state_file=state_file)
    with running(app) as server:
        sim = JetshopSimHandle(app, server.url)
        sim.post(add_update({"ArticleNumber": "KEEP-1", "Name": "kvar", "StockData": {"NewStockCount": "4"}}))
        placed = sim.admin("POST", "orders", {"shop_id": "alpha", "count": 1})["orders"][0]
        before = sim.admin("GET", "state")
    restarted = create_app(seed=42, start=TEST_START, state_file=state_file)
    with running(restarted) as server:
        sim = JetshopSimHandle(restarted, server.url)
        assert sim.admin("GET", "state") == before
        data = soap.child(result_of(sim.post(product_get("KEEP-1")).content, "Product_Get"), "ProductData")
        assert data is not None
        assert soap.text(data, "Name") == "kvar"
        again = sim.admin("POST", "orders", {"shop_id": "alpha", "count": 1})["orders"][0]
        assert again["order_id"] == placed["order_id"] + 1, "order ids continue after the restart"


# --- command line ---------------------------------------------------------------------------------


def test_the_command_line_starts_the_simulator_and_prints_the_credentials(tmp_path: Path) -> None:
    port = free_port()
    faults = json.dumps({"error_503_share": 1.0, "operations": ["Order_Get"]})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jetshop_hogia_simulators.jetshop",
            "--port",
            str(port),
            "--seed",
            "42",
            "--faults",
            faults,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                calls = requests.get(f"http://127.0.0.1:{port}/_admin/calls", timeout=1).json()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "simulator did not start"
                assert proc.poll() is None, "simulator exited"
                time.sleep(0.1)
        assert calls["faults"]["error_503_share"] == 1.0
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert "/Webservice20/v3.0/webservice.asmx" in output
    assert "user 'alpha' password 'alpha-jetshop'" in output
