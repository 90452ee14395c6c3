"""The clients a step uses, created only when asked for and resolved from the tenant's configuration.

Connection ids come from the tenant file (``shops[].connection_id``, ``hogia.connection_id``); the hooks
read credentials from Airflow connections when they first connect, so building this object is free. The
hook classes are imported lazily: a step that only transforms files never loads the provider.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from typing import Any

from jetshop_hogia.config import TenantConfig

log = logging.getLogger(__name__)

JETSHOP_HOOK = "jetshop_hogia_provider.hooks.jetshop:JetshopHook"
HOGIA_HOOK = "jetshop_hogia_provider.hooks.hogia_smart:HogiaSmartHook"
STATE_STORE_FACTORY_ENV = "JETSHOP_HOGIA_STATE_STORE_FACTORY"
"""``module:callable`` taking the :class:`TenantConfig` and returning the state store (overrides the
default: one ``StateStore`` for all tenants at the Airflow connection ``sync_state``)."""


def import_object(path: str) -> Any:
    """``package.module:attribute`` → the attribute."""
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"{path!r} is not of the form 'package.module:attribute'")
    return getattr(importlib.import_module(module_name), attribute)


def make_hook(hook_class: Any, conn_id: str) -> Any:
    """Instantiate an Airflow hook with its conventional connection-id keyword (``conn_name_attr``)."""
    keyword = getattr(hook_class, "conn_name_attr", None)
    return hook_class(**{keyword: conn_id}) if keyword else hook_class(conn_id)


class AirflowResources:
    """Lazily created, cached hooks and state store for one tenant in one task (implements ``Resources``)."""

    def __init__(
        self,
        tenant: TenantConfig,
        *,
        jetshop_hook: str | Any = JETSHOP_HOOK,
        hogia_hook: str | Any = HOGIA_HOOK,
        state_factory: Callable[[TenantConfig], Any] | None = None,
    ) -> None:
        self._tenant = tenant
        self._jetshop_hook = jetshop_hook
        self._hogia_hook = hogia_hook
        self._state_factory = state_factory
        self._created: dict[str, Any] = {}

    def jetshop(self, shop_id: str | None = None) -> Any:
        """The hook of shop ``shop_id``; ``None`` is allowed only for a tenant with exactly one shop."""
        if shop_id is None:
            if len(self._tenant.shops) != 1:
                shops = [shop.id for shop in self._tenant.shops]
                raise ValueError(f"tenant {self._tenant.tenant_id!r} has several shops {shops}; name one")
            shop = self._tenant.shops[0]
        else:
            shop = self._tenant.shop(shop_id)
        return self._cached(
            f"jetshop:{shop.id}", lambda: make_hook(_resolve(self._jetshop_hook), shop.connection_id)
        )

    def hogia(self) -> Any:
        """The Hogia Smart hook of the tenant's company."""
        conn_id = self._tenant.hogia.connection_id
        return self._cached("hogia", lambda: make_hook(_resolve(self._hogia_hook), conn_id))

    def state(self) -> Any:
        """The state store: injected factory, else $JETSHOP_HOGIA_STATE_STORE_FACTORY, else the default."""
        return self._cached("state", self._make_state)

    def close(self) -> None:
        """Close (hooks) or dispose (state store) whatever was created; errors are logged, not raised."""
        for name, resource in self._created.items():
            closer = getattr(resource, "close", None) or getattr(resource, "dispose", None)
            if callable(closer):
                try:
                    closer()
                except Exception:
                    log.warning("closing %s of tenant %s failed", name, self._tenant.tenant_id, exc_info=True)
        self._created.clear()

    def _make_state(self) -> Any:
        factory = self._state_factory
        if factory is None:
            path = os.environ.get(STATE_STORE_FACTORY_ENV, "").strip()
            factory = import_object(path) if path else default_state_store
        return factory(self._tenant)

    def _cached(self, key: str, create: Callable[[], Any]) -> Any:
        if key not in self._created:
            self._created[key] = create()
        return self._created[key]


def default_state_store(tenant: TenantConfig) -> Any:
    """The shared state store (all tenants, one database) at Airflow connection ``sync_state``, migrated.

    ``StateStore.migrate`` is idempotent and safe concurrently, so the first step that needs the store in
    a fresh deployment creates the schema instead of failing. A missing connection (or SQLite without
    ``JETSHOP_HOGIA_ALLOW_SQLITE_STATE=1``) fails the step here with
    :class:`~jetshop_hogia.state.connection.StateStoreNotConfiguredError` (a permanent error: no retries).
    """
    from jetshop_hogia.state import StateStore
    from jetshop_hogia.state.connection import state_store_url

    store = StateStore(state_store_url())
    store.migrate()
    return store


def _resolve(hook: str | Any) -> Any:
    return import_object(hook) if isinstance(hook, str) else hook
