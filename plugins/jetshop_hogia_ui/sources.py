"""Where the page reads from: the state store behind Airflow connection ``sync_state``, the tenant folder.

Both are made once per api-server process. The store is migrated on first use, exactly as the first task
of a fresh deployment does (``StateStore.migrate`` is idempotent and safe concurrently), so the page works
before any DAG has run and brings its indexes along. The connection is read through Airflow's secrets
backends (environment variable, secrets manager or the connections table), never by querying Airflow's
metadata database ourselves.
"""

from __future__ import annotations

import threading

from jetshop_hogia.state import StateStore
from jetshop_hogia.status import TenantCatalog

_lock = threading.Lock()
_store: StateStore | None = None
_catalog = TenantCatalog()


def state_store() -> StateStore:
    """The shared, migrated state store of this process."""
    global _store
    if _store is None:
        with _lock:
            if _store is None:
                from jetshop_hogia.state.connection import state_store_url

                store = StateStore(state_store_url())
                store.migrate()
                _store = store
    return _store


def tenant_catalog() -> TenantCatalog:
    """The cached tenant files (``$JETSHOP_HOGIA_TENANTS_DIR``)."""
    return _catalog
