"""What both hooks share: lazy connection parsing, one transport per hook, UI metadata, closing.

Constructing a hook does no I/O (Airflow builds hooks while parsing DAG files and listing connection
types): the connection is fetched and parsed on first use, the transport built with it. The options
every hook takes (:class:`HookOptions`) and the way a transport is wired to its process-wide rate
limiter (:meth:`ApiHookBase._new_transport`) live here so both services get them alike.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, ClassVar, Generic, TypedDict, TypeVar

from airflow.sdk import BaseHook
from pydantic import SecretStr

from jetshop_hogia_provider.connection_types import snake_case_behaviour
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike
from jetshop_hogia_provider.transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    HttpTransport,
    RateLimiter,
    ResponseClassifier,
    RetryPolicy,
    Timeouts,
    TransportSettings,
    register_secret,
    shared_rate_limiter,
)

ConfigT = TypeVar("ConfigT")

USER_AGENT = "airflow-jetshop-hogia/0.1 (+Apache Airflow provider)"


class HookOptions(TypedDict, total=False):
    """The keyword options every hook passes on to :class:`ApiHookBase` (documented there)."""

    retry: RetryPolicy | None
    max_response_bytes: int
    rate_limiter: RateLimiter | None
    logger_name: str | None


def register_redis_secret(redis_url: SecretStr | None) -> None:
    """Mask the rate limiter's Redis URL (it may carry a password) in logs, when there is one."""
    if redis_url is not None:
        register_secret(redis_url.get_secret_value())


class ApiHookBase(BaseHook, Generic[ConfigT]):
    """Base of :class:`JetshopHook` and :class:`HogiaSmartHook`; not registered itself.

    :param conn_id: the Airflow connection to use.
    :param retry: overrides the transport's retry policy (tests, or callers that retry themselves).
    :param max_response_bytes: answers larger than this are refused unread.
    :param rate_limiter: overrides the per-credential limiter built from the connection (tests).
    """

    conn_name_attr: ClassVar[str]
    default_conn_name: ClassVar[str]
    conn_type: ClassVar[str]
    hook_name: ClassVar[str]
    ui_behaviour: ClassVar[dict[str, Any]]

    def __init__(
        self,
        conn_id: str,
        *,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        rate_limiter: RateLimiter | None = None,
        logger_name: str | None = None,
    ) -> None:
        super().__init__(logger_name=logger_name)
        self.conn_id = conn_id
        self._retry = retry
        self._max_response_bytes = max_response_bytes
        self._rate_limiter_override = rate_limiter
        self._config: ConfigT | None = None
        self._transport: HttpTransport | None = None
        self._lock = threading.RLock()

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Hidden fields, relabeling and placeholders (same data as ``get_provider_info``)."""
        return snake_case_behaviour(cls.ui_behaviour)

    @property
    def config(self) -> ConfigT:
        """The parsed connection (fetched from Airflow on first access)."""
        with self._lock:
            if self._config is None:
                self._config = self._parse(self.get_connection(self.conn_id))
            return self._config

    def get_conn(self) -> HttpTransport:
        """The hook's transport, built on first use."""
        with self._lock:
            if self._transport is None:
                self._transport = self._build_transport(self.config)
            return self._transport

    def _parse(self, conn: ConnectionLike) -> ConfigT:
        raise NotImplementedError

    def _build_transport(self, config: ConfigT) -> HttpTransport:
        raise NotImplementedError

    def _new_transport(
        self,
        service: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        limiter_key: str,
        limit: int,
        window_seconds: float,
        redis_url: SecretStr | None,
        response_classifier: ResponseClassifier | None = None,
    ) -> HttpTransport:
        """A transport with this hook's retry and size options, throttled per credential.

        ``limiter_key`` names the credential the remote service counts calls for; every hook with the
        same key shares one window in this process (and across processes with ``redis_url``). The
        limiter given to the constructor, if any, replaces the shared one.
        """
        settings = TransportSettings(
            service=service,
            timeouts=Timeouts(connect=connect_timeout, read=read_timeout),
            retry=self._retry or RetryPolicy(),
            max_response_bytes=self._max_response_bytes,
            user_agent=USER_AGENT,
        )
        limiter = self._rate_limiter_override
        if limiter is None:
            limiter = shared_rate_limiter(
                limiter_key,
                limit,
                window_seconds,
                redis_url=redis_url.get_secret_value() if redis_url else None,
                lease_seconds=settings.timeouts.total_seconds + 5,
            )
        return HttpTransport(settings, rate_limiter=limiter, response_classifier=response_classifier)

    def close(self) -> None:
        """Release pooled connections. The hook can be used again afterwards (it reconnects)."""
        with self._lock:
            if self._transport is not None:
                self._transport.close()
                self._transport = None

    def __enter__(self) -> ApiHookBase[ConfigT]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
