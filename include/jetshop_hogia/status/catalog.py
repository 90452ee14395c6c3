"""The tenant files as the Sync status page needs them: loaded once, reloaded only when a file changes.

Validating a thousand YAML files takes seconds; the page must answer in milliseconds. The catalog keeps
the parsed tenants and a fingerprint of the folder (each file's name, size and modification time — one
``stat`` per file, itself taken at most every ``recheck_seconds``); a page request only re-reads when the
fingerprint changed, so an edited tenant file shows within seconds. Broken files are kept
apart, as the DAG factory does, so one bad tenant never hides the others.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jetshop_hogia.config import LoadResult, TenantConfig, TenantConfigError, load_tenants, tenants_dir
from jetshop_hogia.config.loader import SUFFIXES

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class TenantSnapshot:
    """The tenants of one folder state, sorted by tenant id, and the files that did not load."""

    tenants: tuple[TenantConfig, ...]
    errors: tuple[TenantConfigError, ...]

    def by_id(self, tenant_id: str) -> TenantConfig | None:
        """The tenant ``tenant_id`` (None when absent or broken)."""
        return next((tenant for tenant in self.tenants if tenant.tenant_id == tenant_id), None)

    def matching(self, query: str = "", flow: str | None = None) -> list[TenantConfig]:
        """Tenants whose id or name contains ``query`` (case-insensitive), optionally of one flow."""
        needle = query.strip().lower()
        return [
            tenant
            for tenant in self.tenants
            if (not needle or needle in tenant.tenant_id or needle in (tenant.name or "").lower())
            and (flow is None or tenant.flow.value == flow)
        ]


def fingerprint(folder: Path) -> Fingerprint:
    """Name, size and mtime of every candidate tenant file: changes whenever a tenant file does."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return ()
    found = []
    for entry in entries:
        if entry.name.endswith(SUFFIXES) and not entry.name.startswith(("_", ".")) and entry.is_file():
            stat = entry.stat()
            found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


class TenantCatalog:
    """Thread-safe cache of one tenant folder (default: ``$JETSHOP_HOGIA_TENANTS_DIR``)."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        loader: Callable[[Path], LoadResult] = load_tenants,
        recheck_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._folder = folder
        self._loader = loader
        self._recheck = recheck_seconds
        self._clock = clock
        self._checked_at: float | None = None
        self._lock = threading.Lock()
        self._cached: tuple[Path, Fingerprint, TenantSnapshot] | None = None

    @property
    def folder(self) -> Path:
        return self._folder or tenants_dir()

    def snapshot(self) -> TenantSnapshot:
        """The current tenants; re-reads the folder only when a file was added, removed or changed."""
        folder = self.folder
        cached = self._cached
        now = self._clock()
        fresh = self._checked_at is not None and now - self._checked_at < self._recheck
        if cached is not None and cached[0] == folder and fresh:
            return cached[2]
        current = fingerprint(folder)
        with self._lock:
            self._checked_at = now
            cached = self._cached
            if cached is not None and cached[0] == folder and cached[1] == current:
                return cached[2]
            result = self._loader(folder) if current else LoadResult()
            snapshot = TenantSnapshot(
                tuple(sorted(result.tenants, key=lambda tenant: tenant.tenant_id)), tuple(result.errors)
            )
            self._cached = (folder, current, snapshot)
            return snapshot
