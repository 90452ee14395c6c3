"""A small closed-loop HTTP load generator and a helper to run a server in its own process.

The server runs as a separate process so that client and server do not share one GIL: on a 2-core
machine that is the only fair way to measure a Python server from a Python client.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from jetshop_hogia_simulators.common.server import free_port

RequestFn = Callable[[requests.Session], requests.Response]


@dataclass
class LoadResult:
    """Outcome of one load run."""

    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


def measure(request: RequestFn, *, duration_s: float, concurrency: int = 4) -> LoadResult:
    """Run ``request`` in ``concurrency`` keep-alive sessions for ``duration_s`` seconds."""
    counts = [0] * concurrency
    errors = [0] * concurrency
    stop_at = time.perf_counter() + duration_s

    def worker(index: int) -> None:
        with requests.Session() as session:
            while time.perf_counter() < stop_at:
                try:
                    response = request(session)
                    if response.status_code >= 400:
                        errors[index] += 1
                except requests.RequestException:
                    errors[index] += 1
                counts[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(sum(counts), sum(errors), time.perf_counter() - started)


@contextmanager
def server_process(module: str, *args: str, ready_path: str = "/_admin/calls") -> Iterator[str]:
    """Start ``python -m module --port P …`` on loopback and yield its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", module, "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + ready_path, timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"{module} did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure_baseline(*, duration_s: float, concurrency: int) -> LoadResult:
    """The trivial baseline app's ``GET /ping`` rate, measured now: what a server's figure is compared
    with, so a result says what the server costs rather than how busy the machine is."""
    with server_process("benchmarks.baseline_server") as base_url:
        ping = base_url + "/ping"
        return measure(lambda s: s.get(ping, timeout=10), duration_s=duration_s, concurrency=concurrency)


def throughput_report(
    name: str,
    result: LoadResult,
    baseline: LoadResult,
    *,
    concurrency: int,
    target_per_second: float,
    target_ratio: float | None,
) -> dict[str, Any]:
    """The report row of a requests/s benchmark: value, baseline, their ratio and the target met or not."""
    value, base = result.per_second, baseline.per_second
    return {
        "name": name,
        "value": value,
        "unit": "requests/s",
        "baseline": base,
        "ratio": value / base if base else 0.0,
        "target_ratio": target_ratio,
        "notes": (
            f"{concurrency} keep-alive clients; {result.errors} errors; "
            f"target {target_per_second:.0f} requests/s "
            f"({'met' if value >= target_per_second else 'NOT met'})"
        ),
    }
