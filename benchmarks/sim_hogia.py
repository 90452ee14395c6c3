"""Hogia simulator throughput: ``GET /{org}/articles/{id}`` requests/s from a few keep-alive clients.

The simulator runs in its own process (``python -m jetshop_hogia_simulators.hogia --rate-limit off``: the
25-per-5-s limit would otherwise be the only thing measured) and is compared with the baseline app
measured in the same run, so the ratio says what the gate (api-version, bearer token, org check, fault
draw) and the pydantic encoder cost. Target: at least 500 requests/s on 2 cores.
"""

from __future__ import annotations

from typing import Any

import requests

from benchmarks.load import measure, measure_baseline, server_process, throughput_report
from jetshop_hogia.apimodel.hogia_smart import API_VERSION

CONCURRENCY = 4
TARGET_PER_SECOND = 500.0


def _article_url_and_headers(base_url: str) -> tuple[str, dict[str, str]]:
    """Log in as the first demo company and pick one article to read over and over."""
    [company, *_] = requests.get(f"{base_url}/_admin/companies", timeout=10).json()
    token = requests.post(
        f"{base_url}/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": company["clientId"],
            "client_secret": company["clientSecret"],
        },
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    org = company["organisationId"]
    articles = requests.get(
        f"{base_url}/{org}/articles",
        params={"api-version": API_VERSION, "number": "1092-10"},
        headers=headers,
        timeout=10,
    ).json()
    return f"{base_url}/{org}/articles/{articles[0]['id']}?api-version={API_VERSION}", headers


def run(duration_s: float) -> dict[str, Any]:
    """Measure baseline ``GET /ping`` and the simulator's article GET for ``duration_s`` seconds each."""
    baseline = measure_baseline(duration_s=duration_s, concurrency=CONCURRENCY)
    with server_process("jetshop_hogia_simulators.hogia", "--rate-limit", "off") as url:
        article_url, headers = _article_url_and_headers(url)

        def get_article(session: requests.Session) -> requests.Response:
            response = session.get(article_url, headers=headers, timeout=10)
            if b'"number":"1092-10"' not in response.content:
                raise requests.RequestException(f"article GET answered {response.status_code}")
            return response

        result = measure(get_article, duration_s=duration_s, concurrency=CONCURRENCY)
    base = baseline.per_second
    return throughput_report(
        "sim_hogia GET article",
        result,
        baseline,
        concurrency=CONCURRENCY,
        target_per_second=TARGET_PER_SECOND,
        target_ratio=round(TARGET_PER_SECOND / base, 2) if base else None,
    )


if __name__ == "__main__":
    print(run(5.0))
