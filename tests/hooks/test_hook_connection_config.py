"""Reading both connection types: defaults, both extra spellings, and errors that never echo secrets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from jetshop_hogia_provider.connection_types import (
    HOGIA_SMART_CONN_FIELDS,
    HOGIA_SMART_UI_BEHAVIOUR,
    JETSHOP_CONN_FIELDS,
    JETSHOP_UI_BEHAVIOUR,
)
from jetshop_hogia_provider.hooks.connection_config import (
    ConnectionConfigError,
    HogiaSmartConnectionConfig,
    JetshopConnectionConfig,
)
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook
from jetshop_hogia_provider.hooks.json_body import encode_json


@dataclass
class Conn:
    conn_id: str = "c"
    host: str | None = None
    schema: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def extra_dejson(self) -> dict[str, Any]:
        return self.extra


def test_jetshop_defaults_come_from_the_declared_fields() -> None:
    config = JetshopConnectionConfig.from_connection(
        Conn(host="integration.jetshop.se", login="u", password="p")
    )
    assert config.endpoint_url == "https://integration.jetshop.se/Webservice20/v3.0/webservice.asmx"
    assert config.cultures == ("sv-SE",)
    assert config.timeout == JETSHOP_CONN_FIELDS["timeout"]["schema"]["default"]
    assert config.rate_limit == (10, 1.0)


def test_jetshop_accepts_prefixed_extras_and_empty_ui_values() -> None:
    conn = Conn(
        host="http://127.0.0.1:8101/x.asmx/",
        login="u",
        password="p",
        extra={"extra__jetshop__cultures": "sv-SE,nb-NO", "requests_per_second": "0.5", "shop_id": ""},
    )
    config = JetshopConnectionConfig.from_connection(conn)
    assert config.endpoint_url == "http://127.0.0.1:8101/x.asmx"
    assert config.cultures == ("sv-SE", "nb-NO")
    assert config.shop_id is None
    assert config.rate_limit == (1, 2.0)


def test_hogia_defaults_and_token_url() -> None:
    org = uuid.uuid4()
    conn = Conn(
        host="http://127.0.0.1:8102/", login="client", password="secret", extra={"organisation_id": str(org)}
    )
    config = HogiaSmartConnectionConfig.from_connection(conn)
    assert config.token_url == "http://127.0.0.1:8102/connect/token"
    assert config.organisation_url == f"http://127.0.0.1:8102/{org}"
    assert config.api_version == "2025-06-01"
    assert (config.rate_limit_requests, config.rate_limit_window_seconds) == (25, 5.0)


@pytest.mark.parametrize(
    ("conn", "needle"),
    [
        (
            Conn(host="h", login="client", password="s3cret-value", extra={"organisation_id": "not-a-guid"}),
            "organisation_id",
        ),
        (Conn(host="h", login="client", password="s3cret-value", extra={}), "organisation_id"),
        (
            Conn(host="h", login="client", password="", extra={"organisation_id": str(uuid.uuid4())}),
            "client_secret",
        ),
        (
            Conn(
                host="", login="client", password="s3cret-value", extra={"organisation_id": str(uuid.uuid4())}
            ),
            "host",
        ),
        (
            Conn(
                host="h",
                login="client",
                password="s3cret-value",
                extra={"organisation_id": str(uuid.uuid4()), "api_version": "latest"},
            ),
            "api_version",
        ),
    ],
)
def test_invalid_hogia_connections_name_the_field_and_hide_the_secret(conn: Conn, needle: str) -> None:
    with pytest.raises(ConnectionConfigError) as caught:
        HogiaSmartConnectionConfig.from_connection(conn)
    assert needle in str(caught.value)
    assert "s3cret-value" not in str(caught.value)


def test_invalid_jetshop_timeout_is_refused_without_echo() -> None:
    conn = Conn(host="h", login="u", password="pw-123456", extra={"timeout": "-1", "cultures": " , "})
    with pytest.raises(ConnectionConfigError) as caught:
        JetshopConnectionConfig.from_connection(conn)
    assert "timeout" in str(caught.value)
    assert "cultures" in str(caught.value)
    assert "pw-123456" not in str(caught.value)


def test_ui_behaviour_of_the_hooks_is_the_provider_info_behaviour() -> None:
    assert JetshopHook.get_ui_field_behaviour()["hidden_fields"] == JETSHOP_UI_BEHAVIOUR["hidden-fields"]
    assert HogiaSmartHook.get_ui_field_behaviour()["relabeling"]["password"] == "Client secret"
    for fields, behaviour in (
        (JETSHOP_CONN_FIELDS, JETSHOP_UI_BEHAVIOUR),
        (HOGIA_SMART_CONN_FIELDS, HOGIA_SMART_UI_BEHAVIOUR),
    ):
        builtin = {"host", "login", "password", "port", "schema", "extra"}
        assert set(behaviour["placeholders"]) <= set(fields) | builtin


def test_json_bodies_keep_decimals_exact() -> None:
    body = {"price": Decimal("12.50"), "rows": [Decimal("0.1"), 3, "x\u0000y"], "vat": Decimal("1E+1")}
    assert encode_json(body) == b'{"price":12.50,"rows":[0.1,3,"x\\u0000y"],"vat":10}'
    with pytest.raises(ValueError, match="NaN"):
        encode_json({"bad": Decimal("NaN")})
