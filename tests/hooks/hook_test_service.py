"""Test helper of the hook tests: a scripted HTTP service on 127.0.0.1, and a hook pointed at it.

Each test lists what the next requests get (a status, a delay, a dropped connection before or after the
request is "applied", a huge or dripping body); the service records every request and counts applies.
Connection drops use the simulators' own :class:`ConnectionDropMiddleware`, so the client sees the same
resets and lost answers as against the simulators.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import RateLimiter, RetryPolicy
from jetshop_hogia_simulators.common.asgi import ConnectionDropMiddleware, mark_drop
from jetshop_hogia_simulators.common.ratelimit import SlidingWindowLimiter

FAST_RETRY = RetryPolicy(max_attempts=4, initial_backoff_seconds=0.01, max_backoff_seconds=0.05)


@dataclass
class Step:
    """What the service does with one request."""

    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=dict)
    drop: Literal["before", "after"] | None = None
    """``before``: reset without applying; ``after``: apply, then reset instead of answering."""
    delay: float = 0.0
    """Seconds to wait after applying, before answering (past the client's read timeout → lost answer)."""
    stream_chunks: int = 0
    """Send the body as this many chunks without Content-Length."""
    chunk_pause: float = 0.0


@dataclass
class Recorded:
    """One request as the service saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class ScriptedService:
    """Answers requests from a script, then with ``default``; thread-safe counters."""

    def __init__(self) -> None:
        self.script: list[Step] = []
        self.default = Step()
        self.requests: list[Recorded] = []
        self.applied = 0
        self.rate_limited = 0
        self.limiter: SlidingWindowLimiter | None = None
        self._lock = threading.Lock()

    @property
    def calls(self) -> int:
        """Requests received so far."""
        return len(self.requests)

    def then(self, *steps: Step) -> ScriptedService:
        """Append steps to the script."""
        self.script.extend(steps)
        return self

    def _next(self) -> Step:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        with self._lock:
            self.requests.append(
                Recorded(
                    request.method, request.url.path, dict(request.query_params), dict(request.headers), body
                )
            )
        if self.limiter is not None:
            verdict = self.limiter.check("client")
            if not verdict.allowed:
                with self._lock:
                    self.rate_limited += 1
                return Response(status_code=429, headers={"Retry-After": str(verdict.retry_after_seconds)})
        step = self._next()
        if step.drop == "before":
            mark_drop(request)
            return Response(status_code=599)
        if 200 <= step.status < 300:
            with self._lock:
                self.applied += 1
        if step.drop == "after":
            mark_drop(request)
            return Response(status_code=599)
        if step.delay:
            await asyncio.sleep(step.delay)
        if step.stream_chunks:
            return StreamingResponse(_chunks(step), status_code=step.status, headers=step.headers)
        return Response(
            step.body, status_code=step.status, headers=step.headers, media_type="application/json"
        )


async def _chunks(step: Step) -> AsyncIterator[bytes]:
    size = max(1, len(step.body) // step.stream_chunks)
    for start in range(0, len(step.body), size):
        if step.chunk_pause:
            await asyncio.sleep(step.chunk_pause)
        yield step.body[start : start + size]


def scripted_app(service: ScriptedService) -> ConnectionDropMiddleware:
    """A FastAPI app sending every path and method to ``service``."""
    app = FastAPI()
    app.add_api_route(
        "/{path:path}", service.handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"], response_model=None
    )
    return ConnectionDropMiddleware(app)


_conn_ids = itertools.count(1)


def scripted_hook(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    *,
    retry: RetryPolicy = FAST_RETRY,
    rate_limiter: RateLimiter | None = None,
    max_response_bytes: int | None = None,
    **extra: object,
) -> JetshopHook:
    """A hook on a connection to ``url`` (short timeouts unless ``extra`` says otherwise), for the tests
    of what every hook does when sending: classification, retries, limits, bounded reads.

    A ``JetshopHook`` without its SOAP fault classifier is a plain :class:`ApiHookBase`; tests call its
    generic :meth:`send` with any method and path. Each call defines a fresh connection id, so hooks
    never share a process-wide limiter by accident.
    """
    conn_id = f"scripted_{next(_conn_ids)}"
    conn = {
        "conn_type": "jetshop",
        "host": url,
        "login": "user",
        "password": "scripted-password",
        "extra": {"connect_timeout": 2.0, "timeout": 5.0, "requests_per_second": 100_000, **extra},
    }
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
    options: dict[str, object] = {"retry": retry, "rate_limiter": rate_limiter}
    if max_response_bytes is not None:
        options["max_response_bytes"] = max_response_bytes
    return JetshopHook(conn_id, fault_classifier=None, **options)  # type: ignore[arg-type]
