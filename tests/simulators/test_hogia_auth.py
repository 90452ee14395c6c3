"""Hogia simulator: OAuth2 client credentials, token expiry, api-version, org isolation, rate limit."""

from __future__ import annotations

import time

import pytest
import requests

from jetshop_hogia.apimodel.hogia_smart import API_VERSION
from jetshop_hogia_simulators.common.server import running
from jetshop_hogia_simulators.hogia import create_app
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle

RESOURCES = ("company", "vatcodes", "contacts", "articles", "customerinvoices")


def token_request(url: str, **form: str) -> requests.Response:
    return requests.post(f"{url}/connect/token", data=form, timeout=10)


def test_client_credentials_give_a_bearer_token_that_opens_the_api(hogia_sim: HogiaSimHandle) -> None:
    company = hogia_sim.company
    answer = token_request(
        hogia_sim.url,
        grant_type="client_credentials",
        client_id=company.client_id,
        client_secret=company.client_secret,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    response = requests.get(
        f"{hogia_sim.url}/{company.organisation_id}/company",
        params={"api-version": API_VERSION},
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["id"] == company.organisation_id


def test_client_secret_basic_is_accepted_too(hogia_sim: HogiaSimHandle) -> None:
    company = hogia_sim.company
    answer = requests.post(
        f"{hogia_sim.url}/connect/token",
        data={"grant_type": "client_credentials"},
        auth=(company.client_id, company.client_secret),
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["access_token"]


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "alpha", "client_secret": "wrong"},
            "invalid_client",
        ),
        ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, "invalid_client"),
        ({"grant_type": "client_credentials"}, "invalid_client"),
        (
            {"grant_type": "password", "client_id": "alpha", "client_secret": "alpha-hogia"},
            "unsupported_grant_type",
        ),
        ({"client_id": "alpha", "client_secret": "alpha-hogia"}, "invalid_request"),
    ],
)
def test_bad_token_requests_are_oauth2_400s(
    hogia_sim: HogiaSimHandle, form: dict[str, str], error: str
) -> None:
    answer = token_request(hogia_sim.url, **form)
    assert answer.status_code == 400
    assert answer.json()["error"] == error


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic YWxwaGE6YWxwaGEtaG9naWE=", "Bearer"]
)
def test_api_calls_without_a_valid_bearer_token_are_401(
    hogia_sim: HogiaSimHandle, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = requests.get(
        f"{hogia_sim.url}/{hogia_sim.organisation_id}/articles",
        params={"api-version": API_VERSION},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_expire_by_the_simulated_clock(hogia_sim: HogiaSimHandle) -> None:
    assert hogia_sim.api("GET", "company").status_code == 200
    hogia_sim.admin("POST", "clock", {"advance_seconds": 3590})
    assert hogia_sim.api("GET", "company").status_code == 200, "still inside its 3600 s"
    hogia_sim.admin("POST", "clock", {"advance_seconds": 20})
    assert hogia_sim.api("GET", "company").status_code == 401
    hogia_sim.reset()  # forget the cached token: a client logs in again
    hogia_sim.admin("POST", "clock", {"advance_seconds": 7200})
    assert hogia_sim.api("GET", "company").status_code == 200


def test_a_token_opens_only_its_own_organisation(hogia_sim: HogiaSimHandle) -> None:
    alpha, beta = hogia_sim.companies[0], hogia_sim.companies[1]
    response = requests.get(
        f"{hogia_sim.url}/{beta.organisation_id}/articles",
        params={"api-version": API_VERSION},
        headers={"Authorization": f"Bearer {hogia_sim.token(alpha)}"},
        timeout=10,
    )
    assert response.status_code == 403
    unknown = requests.get(
        f"{hogia_sim.url}/00000000-0000-4000-8000-000000000000/articles",
        params={"api-version": API_VERSION},
        headers={"Authorization": f"Bearer {hogia_sim.token(alpha)}"},
        timeout=10,
    )
    assert unknown.status_code == 403
    upper_case_guid = requests.get(
        f"{hogia_sim.url}/{alpha.organisation_id.upper()}/articles",
        params={"api-version": API_VERSION},
        headers={"Authorization": f"Bearer {hogia_sim.token(alpha)}"},
        timeout=10,
    )
    assert upper_case_guid.status_code == 200, "GUIDs compare without regard to letter case"
    assert hogia_sim.api("GET", "articles", company=beta).status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("version", [None, "", "2024-06-11", "2025-06-02"])
def test_api_version_is_required_and_pinned(
    hogia_sim: HogiaSimHandle, resource: str, version: str | None
) -> None:
    params = {} if version is None else {"api-version": version}
    response = requests.get(
        f"{hogia_sim.url}/{hogia_sim.organisation_id}/{resource}",
        params=params,
        headers={"Authorization": f"Bearer {hogia_sim.token()}"},
        timeout=10,
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert "api-version" in problem["errors"]
    assert problem["traceId"]
    assert hogia_sim.api("GET", resource).status_code == 200


def test_sliding_window_rate_limit_answers_429_with_retry_after() -> None:
    app = create_app(rate_limit=(5, 1.0))
    with running(app) as server:
        sim = HogiaSimHandle(server.url, app)
        alpha, beta = sim.companies[0], sim.companies[1]
        sim.token(alpha), sim.token(beta)
        start = time.monotonic()
        assert [sim.api("GET", "company").status_code for _ in range(3)] == [200, 200, 200]
        time.sleep(max(0.0, start + 0.5 - time.monotonic()))
        assert [sim.api("GET", "company").status_code for _ in range(2)] == [200, 200]
        refused = sim.api("GET", "company")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        problem = refused.json()
        assert problem["status"] == 429
        assert problem["traceId"]
        assert sim.api("GET", "company", company=beta).status_code == 200, "the limit is per client id"
        for _ in range(10):  # neither the token endpoint nor the admin API is limited
            assert requests.get(f"{server.url}/_admin/calls", timeout=5).status_code == 200
            assert (
                token_request(
                    server.url,
                    grant_type="client_credentials",
                    client_id="alpha",
                    client_secret="alpha-hogia",
                ).status_code
                == 200
            )
        # a sliding window, not a fixed one: at 1.1 s the first three have left, the two at 0.5 s have not
        time.sleep(max(0.0, start + 1.15 - time.monotonic()))
        assert [sim.api("GET", "company").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert sim.admin("GET", "calls")["rate_limited"]["alpha"] == 2
