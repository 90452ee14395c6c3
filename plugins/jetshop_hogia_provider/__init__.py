"""Airflow provider for Jetshop Commerce and Hogia Smart: connection types and hooks.

Airflow calls :func:`get_provider_info` through the ``apache_airflow_provider`` entry point while it is
itself being imported, so this module must stay cheap: no Airflow imports, no I/O, only data.
"""

from __future__ import annotations

from typing import Any

from jetshop_hogia_provider.connection_types import (
    HOGIA_SMART_CONN_FIELDS,
    HOGIA_SMART_CONN_TYPE,
    HOGIA_SMART_UI_BEHAVIOUR,
    JETSHOP_CONN_FIELDS,
    JETSHOP_CONN_TYPE,
    JETSHOP_UI_BEHAVIOUR,
)

__version__ = "0.1.0"
"""Kept equal to pyproject's version (a test checks it) instead of reading package metadata at import."""

PACKAGE_NAME = "airflow-jetshop-hogia"
"""Must equal the distribution name: Airflow refuses a provider whose package-name differs."""


def get_provider_info() -> dict[str, Any]:
    """Describe the provider to Airflow's ProvidersManager (schema: ``airflow/provider_info.schema.json``)."""
    return {
        "package-name": PACKAGE_NAME,
        "name": "Jetshop Commerce and Hogia Smart",
        "description": "Hooks for the Jetshop Commerce SOAP integration API and the Hogia Smart REST API, "
        "built on Airflow's HttpHook with retries, rate limits and logs free of personal data.",
        "versions": [__version__],
        "integrations": [
            {"integration-name": "Jetshop Commerce", "tags": ["service"]},
            {"integration-name": "Hogia Smart", "tags": ["service"]},
        ],
        "hooks": [
            {
                "integration-name": "Jetshop Commerce",
                "python-modules": ["jetshop_hogia_provider.hooks.jetshop"],
            },
            {
                "integration-name": "Hogia Smart",
                "python-modules": ["jetshop_hogia_provider.hooks.hogia_smart"],
            },
        ],
        "connection-types": [
            {
                "connection-type": JETSHOP_CONN_TYPE,
                "hook-class-name": "jetshop_hogia_provider.hooks.jetshop.JetshopHook",
                "hook-name": "Jetshop Commerce",
                "conn-fields": JETSHOP_CONN_FIELDS,
                "ui-field-behaviour": JETSHOP_UI_BEHAVIOUR,
            },
            {
                "connection-type": HOGIA_SMART_CONN_TYPE,
                "hook-class-name": "jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook",
                "hook-name": "Hogia Smart",
                "conn-fields": HOGIA_SMART_CONN_FIELDS,
                "ui-field-behaviour": HOGIA_SMART_UI_BEHAVIOUR,
            },
        ],
    }
