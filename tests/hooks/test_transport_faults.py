"""The shared transport against a real loopback server: what is retried, what is not, and why."""

from __future__ import annotations

import time

import pytest
from hook_test_service import FAST_RETRY, ScriptedService, Step, settings

from jetshop_hogia_provider.transport import (
    NO_RETRY,
    AmbiguousWriteError,
    AuthenticationError,
    HttpTransport,
    NotFoundError,
    PermanentError,
    RateLimitedError,
    ResponseTooLargeError,
    RetryPolicy,
    SlidingWindowRateLimiter,
    Timeouts,
    TransientError,
    UnprocessableError,
)
from jetshop_hogia_simulators.common.server import ThreadedServer, free_port


def _get(transport: HttpTransport, server: ThreadedServer, **kwargs: object) -> object:
    return transport.request("GET", f"{server.url}/thing", operation="thing.get", idempotent=True, **kwargs)  # type: ignore[arg-type]


def _post(transport: HttpTransport, server: ThreadedServer, **kwargs: object) -> object:
    return transport.request(  # type: ignore[call-overload]
        "POST", f"{server.url}/things", operation="thing.create", idempotent=False, content=b"{}", **kwargs
    )


def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "1"}))
    limiter = SlidingWindowRateLimiter(100, 1.0)
    with HttpTransport(settings(), rate_limiter=limiter) as transport:
        started = time.monotonic()
        response = transport.request("GET", f"{server.url}/x", operation="x", idempotent=True)
        elapsed = time.monotonic() - started
    assert response.status == 200
    assert response.attempts == 2
    assert service.calls == 2
    assert elapsed >= 1.0, "the retry came before the server's Retry-After"
    assert elapsed < 2.5


def test_429_on_a_write_is_retried_because_it_was_not_applied(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "1"}))
    with HttpTransport(settings()) as transport:
        response = _post(transport, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert service.applied == 1


def test_a_retry_after_longer_than_the_policy_allows_is_handed_to_the_caller(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(429, headers={"Retry-After": "600"}))
    with HttpTransport(settings()) as transport, pytest.raises(RateLimitedError) as caught:
        _get(transport, server)
    assert caught.value.retry_after == 600
    assert service.calls == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_a_read_is_retried_then_succeeds(
    status: int, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(status), Step(status))
    with HttpTransport(settings()) as transport:
        response = _get(transport, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert response.attempts == 3  # type: ignore[attr-defined]
    assert service.calls == 3


def test_5xx_retries_stop_after_the_attempt_budget(service: ScriptedService, server: ThreadedServer) -> None:
    service.default = Step(503)
    with HttpTransport(settings()) as transport, pytest.raises(TransientError) as caught:
        _get(transport, server)
    assert service.calls == FAST_RETRY.max_attempts
    assert caught.value.attempts == FAST_RETRY.max_attempts
    assert caught.value.status == 503


@pytest.mark.parametrize("status", [500, 502, 504])
def test_5xx_after_a_non_idempotent_write_is_ambiguous_and_not_retried(
    status: int, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(status))
    with HttpTransport(settings()) as transport, pytest.raises(AmbiguousWriteError):
        _post(transport, server)
    assert service.calls == 1


def test_503_on_a_write_is_retried_because_the_service_refused_it(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(503))
    with HttpTransport(settings()) as transport:
        _post(transport, server)
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
    status: int, error_type: type[PermanentError], service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(
        Step(status, body=b'[{"errorCode": "X1", "message": "refused"}]', headers={"Location": "/y"})
    )
    with HttpTransport(settings()) as transport, pytest.raises(error_type) as caught:
        _get(transport, server)
    assert service.calls == 1
    assert caught.value.status == status
    assert caught.value.response is not None
    assert caught.value.response.json()[0]["errorCode"] == "X1"  # structured errors stay parseable


def test_a_reset_on_an_idempotent_call_is_retried(service: ScriptedService, server: ThreadedServer) -> None:
    service.then(Step(drop="before"))
    with HttpTransport(settings()) as transport:
        response = _get(transport, server)
    assert response.status == 200  # type: ignore[attr-defined]
    assert service.calls == 2


def test_a_lost_answer_on_an_idempotent_call_is_retried(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="after"))
    with HttpTransport(settings()) as transport:
        transport.request(
            "PUT", f"{server.url}/things/1", operation="thing.put", idempotent=True, content=b"{}"
        )
    assert service.calls == 2
    assert service.applied == 2  # harmless: the call is idempotent


def test_a_lost_answer_on_a_write_is_ambiguous_and_applied_exactly_once(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="after"))
    with HttpTransport(settings()) as transport, pytest.raises(AmbiguousWriteError) as caught:
        _post(transport, server)
    assert service.applied == 1
    assert service.calls == 1
    assert caught.value.operation == "thing.create"


def test_a_reset_on_a_write_is_ambiguous_too_because_the_client_cannot_tell(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(drop="before"))
    with HttpTransport(settings()) as transport, pytest.raises(AmbiguousWriteError):
        _post(transport, server)
    assert service.applied == 0
    assert service.calls == 1


def test_a_read_timeout_is_transient_for_reads(service: ScriptedService, server: ThreadedServer) -> None:
    service.then(Step(delay=1.0))
    fast = settings(timeouts=Timeouts(connect=2.0, read=0.3))
    with HttpTransport(fast) as transport:
        with pytest.raises(TransientError):
            _get(transport, server, retry=NO_RETRY)
        service.then(Step(delay=1.0))
        response = _get(transport, server)  # retried after the timeout, then answered
    assert response.attempts == 2  # type: ignore[attr-defined]


def test_a_read_timeout_after_a_write_is_ambiguous(service: ScriptedService, server: ThreadedServer) -> None:
    service.then(Step(delay=1.0))
    fast = settings(timeouts=Timeouts(connect=2.0, read=0.3))
    with HttpTransport(fast) as transport, pytest.raises(AmbiguousWriteError):
        _post(transport, server)
    assert service.applied == 1
    assert service.calls == 1


def test_a_refused_connection_is_transient_even_for_writes_since_nothing_was_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}/things"
    policy = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.02)
    with HttpTransport(settings(retry=policy)) as transport, pytest.raises(TransientError) as caught:
        transport.request("POST", url, operation="thing.create", idempotent=False, content=b"{}")
    assert not isinstance(caught.value, AmbiguousWriteError)
    assert caught.value.attempts == 3


@pytest.mark.parametrize("stream_chunks", [0, 8], ids=["content-length", "chunked"])
def test_an_oversized_answer_is_refused_and_not_retried(
    stream_chunks: int, service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(body=b"x" * 300_000, stream_chunks=stream_chunks))
    with HttpTransport(settings(max_response_bytes=100_000)) as transport:
        with pytest.raises(ResponseTooLargeError) as caught:
            _get(transport, server)
        assert caught.value.status == 200
        assert service.calls == 1
        assert _get(transport, server).status == 200  # type: ignore[attr-defined]  # the transport is still usable


def test_an_answer_dripping_past_the_total_timeout_is_cut_off(
    service: ScriptedService, server: ThreadedServer
) -> None:
    service.then(Step(body=b"y" * 10, stream_chunks=10, chunk_pause=0.15))
    slow = settings(timeouts=Timeouts(connect=2.0, read=1.0, total=0.5))
    with HttpTransport(slow) as transport, pytest.raises(TransientError):
        _get(transport, server, retry=NO_RETRY)


def test_urllib3_never_resends_on_its_own(service: ScriptedService, server: ThreadedServer) -> None:
    """A non-idempotent write must reach the server once per attempt the transport makes, not more."""
    service.then(Step(drop="before"))
    with HttpTransport(settings()) as transport, pytest.raises(AmbiguousWriteError):
        _post(transport, server, retry=NO_RETRY)
    assert service.calls == 1
