"""Sending through a hook (HttpHook's session, our rules) against a loopback server: what is retried,
what is not, and why."""

from __future__ import annotations

import time

import pytest
from hook_test_service import FAST_RETRY, ScriptedService, Step, scripted_hook

from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.transport import (
    NO_RETRY,
    AmbiguousWriteError,
    AuthenticationError,
    NotFoundError,
    PermanentError,
    RateLimitedError,
    ResponseTooLargeError,
    RetryPolicy,
    SlidingWindowRateLimiter,
    TransientError,
    UnprocessableError,
)
from jetshop_hogia_simulators.common.server import ThreadedServer, free_port


def _get(hook: JetshopHook, server: ThreadedServer, **kwargs: object) -> object:
    return hook.send("GET", f"{server.url}/thing", operation="thing.get", idempotent=True, **kwargs)  # type: ignore[arg-type]


def _post(hook: JetshopHook, server: ThreadedServer, **kwargs: object) -> object:
    return hook.send(  # type: ignore[misc]
        "POST", f"{server.url}/things", operation="thing.create", idempotent=False, content=b"{}", **kwargs
    )


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch, server: ThreadedServer) -> JetshopHook:
    """A hook on the scripted service: short timeouts, fast retries, no effective rate limit."""
    return scripted_hook(monkeypatch, server.url)


def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "1"}))
    limiter = SlidingWindowRateLimiter(100, 1.0)
    with scripted_hook(monkeypatch, server.url, rate_limiter=limiter) as hook:
        started = time.monotonic()
        response = hook.send("GET", f"{server.url}/x", operation="x", idempotent=True)
        elapsed = time.monotonic() - started
    assert response.status == 200
    assert response.attempts == 2
    assert service.calls == 2
    assert elapsed >= 1.0, "the retry came before the server's Retry-After"
    assert elapsed < 2.5


def test_429_on_a_write_is_retried_because_it_was_not_applied(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "1"}))
    with hook:
        response = _post(hook, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert service.applied == 1


def test_a_retry_after_longer_than_the_policy_allows_is_handed_to_the_caller(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "600"}))
    with hook, pytest.raises(RateLimitedError) as caught:
        _get(hook, server)
    assert caught.value.retry_after == 600
    assert service.calls == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_a_read_is_retried_then_succeeds(
    status: int, hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(status), Step(status))
    with hook:
        response = _get(hook, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert response.attempts == 3  # type: ignore[attr-defined]
    assert service.calls == 3


def test_5xx_retries_stop_after_the_attempt_budget(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.default = Step(503)
    with hook, pytest.raises(TransientError) as caught:
        _get(hook, server)
    assert service.calls == FAST_RETRY.max_attempts
    assert caught.value.attempts == FAST_RETRY.max_attempts
    assert caught.value.status == 503


@pytest.mark.parametrize("status", [500, 502, 504])
def test_5xx_after_a_non_idempotent_write_is_ambiguous_and_not_retried(
    status: int, hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(status))
    with hook, pytest.raises(AmbiguousWriteError):
        _post(hook, server)
    assert service.calls == 1


def test_503_on_a_write_is_retried_because_the_service_refused_it(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(503))
    with hook:
        _post(hook, server)
    assert service.calls == 2
    assert service.applied == 1


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, PermanentError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (422, UnprocessableError),
        (302, PermanentError),
    ],
)
def test_4xx_and_redirects_are_permanent_and_sent_once(
    status: int,
    error_type: type[PermanentError],
    hook: JetshopHook,
    service: ScriptedService,
    server: ThreadedServer,
) -> None:
    service.then(
        Step(status, body=b'[{"errorCode": "X1", "message": "refused"}]', headers={"Location": "/y"})
    )
    with hook, pytest.raises(error_type) as caught:
        _get(hook, server)
    assert service.calls == 1
    assert caught.value.status == status
    assert caught.value.response is not None
    assert caught.value.response.json()[0]["errorCode"] == "X1"  # structured errors stay parseable


def test_a_reset_on_an_idempotent_call_is_retried(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="before"))
    with hook:
        response = _get(hook, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert service.calls == 2


def test_a_lost_answer_on_an_idempotent_call_is_retried(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="after"))
    with hook:
        hook.send("PUT", f"{server.url}/things/1", operation="thing.put", idempotent=True, content=b"{}")
    assert service.calls == 2
    assert service.applied == 2  # harmless: the call is idempotent


def test_a_lost_answer_on_a_write_is_ambiguous_and_applied_exactly_once(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="after"))
    with hook, pytest.raises(AmbiguousWriteError) as caught:
        _post(hook, server)
    assert service.applied == 1
    assert service.calls == 1
    assert caught.value.operation == "thing.create"


def test_a_reset_on_a_write_is_ambiguous_too_because_the_client_cannot_tell(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="before"))
    with hook, pytest.raises(AmbiguousWriteError):
        _post(hook, server)
    assert service.applied == 0
    assert service.calls == 1


def test_a_read_timeout_is_transient_for_reads(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(delay=1.0))
    with scripted_hook(monkeypatch, server.url, timeout=0.3) as hook:  # the connection's read timeout
        with pytest.raises(TransientError):
            _get(hook, server, retry=NO_RETRY)
        service.then(Step(delay=1.0))
        response = _get(hook, server)  # retried after the timeout, then answered
    assert response.attempts == 2  # type: ignore[attr-defined]


def test_a_read_timeout_after_a_write_is_ambiguous(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(delay=1.0))
    with scripted_hook(monkeypatch, server.url, timeout=0.3) as hook, pytest.raises(AmbiguousWriteError):
        _post(hook, server)
    assert service.applied == 1
    assert service.calls == 1


def test_a_refused_connection_is_transient_even_for_writes_since_nothing_was_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    policy = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.02)
    with scripted_hook(monkeypatch, url, retry=policy) as hook, pytest.raises(TransientError) as caught:
        hook.send("POST", f"{url}/things", operation="thing.create", idempotent=False, content=b"{}")
    assert not isinstance(caught.value, AmbiguousWriteError)
    assert caught.value.attempts == 3


@pytest.mark.parametrize("stream_chunks", [0, 8], ids=["content-length", "chunked"])
def test_an_oversized_answer_is_refused_and_not_retried(
    stream_chunks: int, monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(body=b"x" * 300_000, stream_chunks=stream_chunks))
    with scripted_hook(monkeypatch, server.url, max_response_bytes=100_000) as hook:
        with pytest.raises(ResponseTooLargeError) as caught:
            _get(hook, server)
        assert caught.value.status == 200
        assert service.calls == 1
        assert _get(hook, server).status == 200  # type: ignore[attr-defined]  # the hook is still usable


def test_an_answer_dripping_past_the_total_timeout_is_cut_off(
    monkeypatch: pytest.MonkeyPatch, service: ScriptedService, server: ThreadedServer
) -> None:
    """Each chunk comes within the read timeout; the whole answer does not come within connect + 3 × read."""
    service.then(Step(body=b"y" * 10, stream_chunks=10, chunk_pause=0.15))
    slow = scripted_hook(monkeypatch, server.url, connect_timeout=0.1, timeout=0.2)  # total 0.7 s
    with slow as hook, pytest.raises(TransientError):
        _get(hook, server, retry=NO_RETRY)


def test_urllib3_never_resends_on_its_own(
    hook: JetshopHook, service: ScriptedService, server: ThreadedServer
) -> None:
    """A non-idempotent write must reach the server once per attempt the hook makes, not more."""
    service.then(Step(drop="before"))
    with hook, pytest.raises(AmbiguousWriteError):
        _post(hook, server, retry=NO_RETRY)
    assert service.calls == 1
