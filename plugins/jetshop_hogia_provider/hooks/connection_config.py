"""Typed, validated settings read from an Airflow connection of either type.

Parsing happens once, when a hook first needs its connection, and fails with a message naming the bad
field but never echoing its value (pydantic's own messages include the input, which may be a secret).
Extra fields are accepted both plain (``shop_id``, what Airflow 3 stores) and with the Airflow 2 UI
prefix (``extra__jetshop__shop_id``); empty strings from the UI count as "not set".

The service URL is ``HttpHook``'s base URL (:func:`http_base_url`: host, schema and port combined by
``HttpHook`` itself), with https as the default scheme. ``HttpHook``'s own extras (``proxies``,
``verify``, ``cert``, ``trust_env``, ``max_redirects``) are applied to the session by ``HttpHook`` and are
not part of these models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Final, Protocol
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from jetshop_hogia_provider.connection_types import (
    HOGIA_SMART_CONN_FIELDS,
    HOGIA_SMART_CONN_TYPE,
    JETSHOP_CONN_FIELDS,
    JETSHOP_CONN_TYPE,
    JETSHOP_DEFAULT_ENDPOINT,
    field_default,
)


class ConnectionLike(Protocol):
    """The part of ``airflow.sdk.Connection`` the parsers read (tests can pass a plain object)."""

    conn_id: str
    host: str | None
    schema: str | None
    login: str | None
    password: str | None
    port: int | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


class ConnectionConfigError(ValueError):
    """The connection is incomplete or malformed: a configuration problem, never worth retrying."""


def _extras(conn: ConnectionLike, conn_type: str, fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Declared extra fields with their defaults, plain or prefixed names, empty strings dropped."""
    raw = conn.extra_dejson or {}
    values: dict[str, Any] = {}
    for name in fields:
        value = raw.get(name, raw.get(f"extra__{conn_type}__{name}"))
        if value is None or (isinstance(value, str) and not value.strip()):
            value = field_default(fields, name)
        if value is not None:
            values[name] = value
    return values


HTTP_HOOK_EXTRAS: Final = frozenset(
    {"proxies", "proxy", "verify", "verify_ssl", "cert", "trust_env", "max_redirects", "timeout"}
)
"""Extras ``HttpHook`` applies to the session (``timeout`` is also ours: the read timeout)."""
IGNORED_HTTP_HOOK_EXTRAS: Final = frozenset({"stream", "allow_redirects", "check_response", "srv_lookup"})
"""Extras ``HttpHook`` knows that the hooks deliberately override (see docs/connections.md)."""


def with_https_default(base_url: str, conn: Any) -> str:
    """``HttpHook``'s base URL with https where it chose http only because no scheme was given."""
    host = (getattr(conn, "host", None) or "").strip()
    if "://" not in host and not getattr(conn, "schema", None) and base_url.startswith("http://"):
        base_url = "https://" + base_url.removeprefix("http://")
    return base_url.rstrip("/")


def http_base_url(conn: ConnectionLike) -> str:
    """The base URL ``HttpHook`` builds from ``conn``'s host, schema and port, https by default.

    Uses ``HttpHook``'s own rule (host verbatim when it holds a scheme, else ``schema://host``, then
    ``:port``) so the hooks and every other ``HttpHook`` read a connection the same way.
    """
    from airflow.providers.http.hooks.http import HttpHook

    probe = HttpHook(http_conn_id=conn.conn_id, tcp_keep_alive=False)
    probe._set_base_url(conn)
    return with_https_default(str(probe.base_url), conn)


def _service_url(conn: ConnectionLike, base_url: str | None) -> str:
    if not (conn.host or "").strip():
        raise ConnectionConfigError("the connection has no host (the service URL)")
    return base_url if base_url is not None else http_base_url(conn)


def unknown_extras(conn: ConnectionLike, declared: Iterable[str]) -> list[str]:
    """Names of extras neither the connection type nor ``HttpHook`` uses (reported, never sent)."""
    known = set(declared) | HTTP_HOOK_EXTRAS | IGNORED_HTTP_HOOK_EXTRAS
    names = [str(name) for name in (conn.extra_dejson or {})]
    return sorted(name for name in names if name not in known and not name.startswith("extra__"))


def _not_empty(value: SecretStr) -> SecretStr:
    if not value.get_secret_value():
        raise ValueError("must not be empty")
    return value


NonEmptySecret = Annotated[SecretStr, AfterValidator(_not_empty)]


def _build(model: type[BaseModel], conn_id: str, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConnectionConfigError(f"connection {conn_id!r} is invalid: {problems}") from None


class JetshopConnectionConfig(BaseModel):
    """One Jetshop shop's SOAP endpoint, credentials and client-side limits."""

    model_config = ConfigDict(frozen=True)

    endpoint_url: str
    username: str = Field(min_length=1)
    password: NonEmptySecret
    shop_id: str | None = None
    cultures: tuple[str, ...] = ("sv-SE",)
    timeout: float = Field(gt=0)
    connect_timeout: float = Field(gt=0)
    requests_per_second: float = Field(gt=0)
    rate_limit_redis_url: SecretStr | None = None

    @field_validator("cultures", mode="before")
    @classmethod
    def _split_cultures(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("cultures")
    @classmethod
    def _at_least_one_culture(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one culture is needed")
        return value

    @field_validator("shop_id", mode="before")
    @classmethod
    def _shop_id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def rate_limit(self) -> tuple[int, float]:
        """``requests_per_second`` as (limit, window seconds) for the sliding-window limiter."""
        if self.requests_per_second >= 1:
            return round(self.requests_per_second), 1.0
        return 1, 1.0 / self.requests_per_second

    @classmethod
    def from_connection(cls, conn: ConnectionLike, base_url: str | None = None) -> JetshopConnectionConfig:
        """Parse and validate; raises :class:`ConnectionConfigError`.

        ``base_url`` is the hook's ``HttpHook`` base URL (computed with :func:`http_base_url` if not given);
        a bare host gets Jetshop's endpoint path.
        """
        base_url = _service_url(conn, base_url)
        if urlsplit(base_url).path in ("", "/"):
            base_url += urlsplit(JETSHOP_DEFAULT_ENDPOINT).path
        data = {
            "endpoint_url": base_url,
            "username": conn.login or "",
            "password": conn.password or "",
            **_extras(conn, JETSHOP_CONN_TYPE, JETSHOP_CONN_FIELDS),
        }
        return _build(cls, conn.conn_id, data)  # type: ignore[no-any-return]


class HogiaSmartConnectionConfig(BaseModel):
    """One Hogia Smart company: base and token URLs, client credentials, version and rate limit."""

    model_config = ConfigDict(frozen=True)

    base_url: str
    token_url: str
    client_id: str = Field(min_length=1)
    client_secret: NonEmptySecret
    organisation_id: UUID
    api_version: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    timeout: float = Field(gt=0)
    connect_timeout: float = Field(gt=0)
    rate_limit_requests: int = Field(ge=1)
    rate_limit_window_seconds: float = Field(gt=0)
    rate_limit_redis_url: SecretStr | None = None

    @property
    def organisation_url(self) -> str:
        """``<base>/<organisation id>``: every resource path hangs below it."""
        return f"{self.base_url}/{self.organisation_id}"

    @classmethod
    def from_connection(cls, conn: ConnectionLike, base_url: str | None = None) -> HogiaSmartConnectionConfig:
        """Parse and validate; raises :class:`ConnectionConfigError` (``base_url``: see Jetshop's)."""
        base_url = _service_url(conn, base_url)
        extras = _extras(conn, HOGIA_SMART_CONN_TYPE, HOGIA_SMART_CONN_FIELDS)
        if "organisation_id" not in extras:
            raise ConnectionConfigError(f"connection {conn.conn_id!r} has no organisation_id")
        extras.setdefault("token_url", f"{base_url}/connect/token")
        data = {
            "base_url": base_url,
            "client_id": conn.login or "",
            "client_secret": conn.password or "",
            **extras,
        }
        return _build(cls, conn.conn_id, data)  # type: ignore[no-any-return]
