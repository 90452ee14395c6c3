"""Hogia simulator: injected faults, seeding determinism, persistence across restarts, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from jetshop_hogia_simulators.common.server import free_port, running
from jetshop_hogia_simulators.hogia import create_app
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle

ORDER_BODY: dict[str, Any] = {
    "customerInvoice": {"customerNumber": "1001", "invoiceDate": "2026-05-04", "customerOrderNumber": "L1"},
    "invoiceLines": [{"articleNumber": "7300", "quantity": 1}],
}


def test_error_shares_answer_5xx_problem_details_only_for_the_chosen_operations(
    hogia_sim: HogiaSimHandle,
) -> None:
    hogia_sim.set_rate_limit(None)
    hogia_sim.admin("PUT", "faults", {"error_503_share": 1.0, "operations": ["articles.list"]})
    refused = hogia_sim.api("GET", "articles")
    assert refused.status_code == 503
    assert refused.json()["status"] == 503
    assert hogia_sim.api("GET", "contacts").status_code == 200
    hogia_sim.admin("PUT", "faults", {"error_500_share": 0.5, "seed": 3})
    statuses = [hogia_sim.api("GET", "company").status_code for _ in range(40)]
    assert set(statuses) == {200, 500}
    assert 8 <= statuses.count(500) <= 32
    calls = hogia_sim.admin("GET", "calls")  # the admin API itself is never faulted
    assert calls["faults_injected"]["error_500"] == statuses.count(500)


def test_down_means_503_everywhere_including_the_token_endpoint(hogia_sim: HogiaSimHandle) -> None:
    hogia_sim.token()
    hogia_sim.admin("PUT", "faults", {"down": True})
    assert hogia_sim.api("GET", "company").status_code == 503
    token = requests.post(
        f"{hogia_sim.url}/connect/token",
        data={"grant_type": "client_credentials", "client_id": "alpha", "client_secret": "alpha-hogia"},
        timeout=10,
    )
    assert token.status_code == 503


def test_reset_drops_the_connection_before_the_invoice_is_created(hogia_sim: HogiaSimHandle) -> None:
    hogia_sim.token()
    hogia_sim.admin("PUT", "faults", {"reset_share": 1.0, "operations": ["customerinvoices.create"]})
    with pytest.raises(requests.ConnectionError):
        hogia_sim.api("POST", "customerinvoices", json=ORDER_BODY)
    hogia_sim.admin("PUT", "faults", {})
    assert hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": "L1"}).json() == []


def test_lost_response_creates_the_invoice_and_the_client_finds_it_by_order_number(
    hogia_sim: HogiaSimHandle,
) -> None:
    hogia_sim.token()
    hogia_sim.admin("PUT", "faults", {"lost_response_share": 1.0, "operations": ["customerinvoices.create"]})
    with pytest.raises(requests.ConnectionError):
        hogia_sim.api("POST", "customerinvoices", json=ORDER_BODY)
    hogia_sim.admin("PUT", "faults", {})
    found = hogia_sim.api("GET", "customerinvoices", params={"customerOrderNumber": "L1"}).json()
    assert len(found) == 1, "applied although the answer was lost"
    # a naive retry instead of the search would have made a duplicate, as nothing is idempotent
    assert hogia_sim.api("POST", "customerinvoices", json=ORDER_BODY).status_code == 201
    assert hogia_sim.admin("GET", f"invoices/{hogia_sim.organisation_id}")["duplicates"] == {"L1": 2}


def test_a_hang_outlasts_the_client_timeout(hogia_sim: HogiaSimHandle) -> None:
    hogia_sim.token()
    hogia_sim.admin("PUT", "faults", {"hang_share": 1.0, "hang_seconds": 1.0, "operations": ["company.get"]})
    with pytest.raises(requests.Timeout):
        requests.get(
            f"{hogia_sim.url}/{hogia_sim.organisation_id}/company",
            params={"api-version": "2025-06-01"},
            headers={"Authorization": f"Bearer {hogia_sim.token()}"},
            timeout=0.3,
        )


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("createdDate", "updatedDate")}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def test_the_same_seed_gives_the_same_state_and_another_seed_another() -> None:
    first = create_app(seed=7).state.simulator.state.dump()
    again = create_app(seed=7).state.simulator.state.dump()
    other = create_app(seed=8).state.simulator.state.dump()
    assert _without_times(first) == _without_times(again)
    assert _without_times(first) != _without_times(other)


def test_state_survives_a_restart_with_the_same_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "hogia.sqlite"
    app = create_app(state_file=state_file, rate_limit=None)
    with running(app) as server:
        sim = HogiaSimHandle(server.url, app)
        invoice_id = sim.api("POST", "customerinvoices", json=ORDER_BODY).json()
        contact_id = sim.api("POST", "contacts", json={"number": "W9", "givenName": "Linnéa"}).json()
        sim.admin("PATCH", f"articles/{sim.organisation_id}/7300", {"stockBalance": 1})
        first_invoice = sim.api("GET", f"customerinvoices/{invoice_id}").json()
    restarted = create_app(state_file=state_file, rate_limit=None, seed=999)  # the saved state wins
    with running(restarted) as server:
        sim = HogiaSimHandle(server.url, restarted)
        assert sim.api("GET", f"customerinvoices/{invoice_id}").json() == first_invoice
        assert sim.api("GET", f"contacts/{contact_id}").json()["number"] == "W9"
        assert sim.api("GET", "articles", params={"number": "7300"}).json()[0]["stockBalance"] == 1
        second = sim.api(
            "GET", f"customerinvoices/{sim.api('POST', 'customerinvoices', json=ORDER_BODY).json()}"
        )
        assert (
            second.json()["invoiceHeader"]["invoiceNumber"]
            == first_invoice["invoiceHeader"]["invoiceNumber"] + 1
        )
        assert second.json()["rowVersion"] > first_invoice["rowVersion"]
        sim.admin("POST", "reset")  # back to the seed (999 here), and saved so
    after_reset = create_app(state_file=state_file).state.simulator.state
    assert all(not company.invoices for company in after_reset.companies.values())


def test_the_command_line_prints_demo_credentials_and_serves() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jetshop_hogia_simulators.hogia", "--port", str(port), "--rate-limit", "off"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(4)]
        assert "client_id=alpha" in "".join(banner)
        assert "client_secret=alpha-hogia" in "".join(banner)
        deadline = time.monotonic() + 20
        while True:
            try:
                companies = requests.get(f"http://127.0.0.1:{port}/_admin/companies", timeout=1).json()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "simulator did not start"
                time.sleep(0.1)
        assert [c["clientId"] for c in companies] == ["alpha", "beta", "gamma"]
        assert companies[0]["organisationId"] in "".join(banner)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
