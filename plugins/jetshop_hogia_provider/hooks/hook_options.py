"""What every hook takes and reads: its keyword options and the settings it needs from a connection."""

from __future__ import annotations

from typing import Protocol, TypedDict, TypeVar

from pydantic import SecretStr

from jetshop_hogia_provider.transport import RateLimiter, RetryPolicy, register_secret


class ServiceConfig(Protocol):
    """What :class:`ApiHookBase` reads from a parsed connection of either type."""

    @property
    def timeout(self) -> float: ...

    @property
    def connect_timeout(self) -> float: ...

    @property
    def rate_limit_redis_url(self) -> SecretStr | None: ...


ConfigT = TypeVar("ConfigT", bound=ServiceConfig)


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
