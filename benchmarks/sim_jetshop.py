"""Jetshop simulator throughput: ``Product_Get`` requests/s from a few keep-alive clients.

The simulator runs in its own process (``python -m jetshop_hogia_simulators.jetshop``) and is compared
with the baseline app (the smallest FastAPI endpoint on the same uvicorn set-up) measured in the same
run, so the ratio says how much of the machine's HTTP capacity SOAP parsing, auth and the product
encoder cost. Targets: a ratio of at least 0.5, and at least 500 requests/s on an otherwise idle
2-core machine (the absolute figure is reported in the notes; on a busy machine only the ratio means
anything, since the client shares the cores).
"""

from __future__ import annotations

from typing import Any

import requests

from benchmarks.load import measure, measure_baseline, server_process, throughput_report
from jetshop_hogia import soap
from jetshop_hogia_simulators.jetshop import ENDPOINT

CONCURRENCY = 4
TARGET_PER_SECOND = 500.0
TARGET_RATIO = 0.5
"""At least half the requests/s of the trivial baseline app: SOAP must not dominate the HTTP cost."""
HEADERS = {"Content-Type": soap.CONTENT_TYPE}


def _product_get_body(article: str = "1092-10") -> bytes:
    options = soap.element("productOptions")
    soap.add(options, "ArticleNumber", article)
    soap.add(options, "Culture", "sv-SE")
    return soap.build_request("Product_Get", options, shop_id="alpha")


def run(duration_s: float) -> dict[str, Any]:
    """Measure baseline ``GET /ping`` and simulator ``Product_Get`` for ``duration_s`` seconds each."""
    baseline = measure_baseline(duration_s=duration_s, concurrency=CONCURRENCY)
    body = _product_get_body()
    with server_process("jetshop_hogia_simulators.jetshop") as url:
        endpoint = url + ENDPOINT

        def product_get(session: requests.Session) -> requests.Response:
            response = session.post(
                endpoint, data=body, headers=HEADERS, auth=("alpha", "alpha-jetshop"), timeout=10
            )
            if b"<ProductData>" not in response.content:
                raise requests.RequestException("Product_Get answered without ProductData")
            return response

        result = measure(product_get, duration_s=duration_s, concurrency=CONCURRENCY)
    return throughput_report(
        "sim_jetshop Product_Get",
        result,
        baseline,
        concurrency=CONCURRENCY,
        target_per_second=TARGET_PER_SECOND,
        target_ratio=TARGET_RATIO,
    )


if __name__ == "__main__":
    print(run(5.0))
