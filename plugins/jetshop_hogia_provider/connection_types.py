"""The two connection types' form fields and UI behaviour, declared once as plain data.

Airflow 3.2+ reads connection forms declaratively from ``get_provider_info()`` (``conn-fields`` +
``ui-field-behaviour``) without importing the hook; the hook-side ``get_connection_form_widgets`` is
deprecated and needs wtforms, which Airflow 3.3 core no longer installs. Keeping the declaration here, free
of imports, lets the provider registry, the hooks' ``get_ui_field_behaviour`` and the hooks' connection
parsers all read the same names and defaults, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Final

JETSHOP_CONN_TYPE: Final = "jetshop"
HOGIA_SMART_CONN_TYPE: Final = "hogia_smart"

JETSHOP_DEFAULT_ENDPOINT: Final = "https://integration.jetshop.se/Webservice20/v3.0/webservice.asmx"
HOGIA_DEFAULT_API_VERSION: Final = "2025-06-01"


def _field(
    label: str, json_type: str, *, default: Any = None, description: str, **schema: Any
) -> dict[str, Any]:
    """One ``conn-fields`` entry; every value is optional (``null``) so partial extras still validate."""
    body: dict[str, Any] = {"type": [json_type, "null"], **schema}
    if default is not None:
        body["default"] = default
    return {"label": label, "schema": body, "description": description}


_REDIS_FIELD = _field(
    "Rate-limit Redis URL",
    "string",
    format="password",  # a Redis URL may carry a password: Airflow masks fields of this format
    description="Optional redis://… URL. When set, every worker process using this connection shares one "
    "rate-limit window through Redis instead of each keeping its own.",
)

JETSHOP_CONN_FIELDS: Final[dict[str, dict[str, Any]]] = {
    "shop_id": _field(
        "Shop id",
        "string",
        description="Sent in the ShopId SOAP header (ignored by Jetshop, the login selects the shop).",
    ),
    "cultures": _field(
        "Cultures",
        "string",
        default="sv-SE",
        description="Comma-separated cultures written for each product; the first creates (sv-SE,nb-NO).",
    ),
    "timeout": _field(
        "Read timeout (s)",
        "number",
        default=30,
        minimum=1,
        description="Seconds to wait for an answer once connected. Jetshop's worst observed call took ~4 s.",
    ),
    "connect_timeout": _field(
        "Connect timeout (s)", "number", default=5, minimum=0.1, description="Seconds to open a connection."
    ),
    "requests_per_second": _field(
        "Requests per second",
        "number",
        default=10,
        minimum=0.1,
        description="Client-side cap per shop login (no server limit is documented; stay polite).",
    ),
    "rate_limit_redis_url": _REDIS_FIELD,
}

HOGIA_SMART_CONN_FIELDS: Final[dict[str, dict[str, Any]]] = {
    "token_url": _field(
        "Token URL",
        "string",
        description="OAuth2 client-credentials endpoint; empty means <base URL>/connect/token.",
    ),
    "organisation_id": _field(
        "Organisation GUID", "string", description="The company's organisation id; the first path segment."
    ),
    "api_version": _field(
        "API version",
        "string",
        default=HOGIA_DEFAULT_API_VERSION,
        description="Sent as api-version on every call. The invoice shape changed in 2025: keep it pinned.",
    ),
    "timeout": _field(
        "Read timeout (s)", "number", default=30, minimum=1, description="Seconds to wait for an answer."
    ),
    "connect_timeout": _field(
        "Connect timeout (s)", "number", default=5, minimum=0.1, description="Seconds to open a connection."
    ),
    "rate_limit_requests": _field(
        "Rate limit: requests",
        "integer",
        default=25,
        minimum=1,
        description="At most this many requests per client id in any window (sliding, not per second).",
    ),
    "rate_limit_window_seconds": _field(
        "Rate limit: window (s)", "number", default=5, minimum=0.1, description="Length of that window."
    ),
    "rate_limit_redis_url": _REDIS_FIELD,
}

_HTTP_EXTRA_PLACEHOLDER: Final = '{"proxies": {"https": "http://proxy:3128"}, "verify": "/etc/ssl/ca.pem"}'
"""Schema, port and the raw Extra stay visible: ``HttpHook`` reads scheme, port, ``proxies``, ``verify``,
``cert`` and ``trust_env`` from them, and operators set them the way they do for any HTTP connection."""

JETSHOP_UI_BEHAVIOUR: Final[dict[str, Any]] = {
    "hidden-fields": [],
    "relabeling": {
        "host": "Endpoint URL",
        "schema": "Scheme (https if empty)",
        "login": "User",
        "password": "Password",
    },
    "placeholders": {
        "host": JETSHOP_DEFAULT_ENDPOINT,
        "schema": "https",
        "extra": _HTTP_EXTRA_PLACEHOLDER,
        "login": "web-service user of the shop",
        "shop_id": "1234",
        "cultures": "sv-SE,nb-NO",
        "timeout": "30",
        "requests_per_second": "10",
    },
}

HOGIA_SMART_UI_BEHAVIOUR: Final[dict[str, Any]] = {
    "hidden-fields": [],
    "relabeling": {
        "host": "Base URL",
        "schema": "Scheme (https if empty)",
        "login": "Client id",
        "password": "Client secret",
    },
    "placeholders": {
        "host": "https://api.hogia.se",
        "schema": "https",
        "extra": _HTTP_EXTRA_PLACEHOLDER,
        "token_url": "https://id.hogia.se/connect/token",
        "organisation_id": "00000000-0000-0000-0000-000000000000",
        "api_version": HOGIA_DEFAULT_API_VERSION,
        "timeout": "30",
        "rate_limit_requests": "25",
        "rate_limit_window_seconds": "5",
    },
}


def snake_case_behaviour(behaviour: dict[str, Any]) -> dict[str, Any]:
    """The provider-info behaviour in the key style of ``BaseHook.get_ui_field_behaviour``."""
    return {key.replace("-", "_"): value for key, value in behaviour.items()}


def field_default(fields: dict[str, dict[str, Any]], name: str) -> Any:
    """The declared default of one extra field (None when it has none)."""
    return fields[name]["schema"].get("default")
