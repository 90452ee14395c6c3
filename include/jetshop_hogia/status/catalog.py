"""The tenant files as the Sync status page needs them: parsed once, re-parsed only when a file changes.

Validating a thousand YAML files takes seconds; the page must answer in milliseconds. The catalog keeps
each parsed file with its fingerprint (size and modification time — one ``stat`` per file, itself taken
at most every ``recheck_seconds``) and re-parses only files that were added or changed, so an edited
tenant shows within seconds and costs one file's parse. Broken files are kept apart, as the DAG factory
does, so one bad tenant never hides the others.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jetshop_hogia.config import Problem, TenantConfig, TenantConfigError, load_tenant_file, tenants_dir
from jetshop_hogia.config.loader import SUFFIXES

FileKey = tuple[int, int]
"""(size, mtime_ns) of one file."""


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


def fingerprint(folder: Path) -> dict[str, FileKey]:
    """File name → (size, mtime) of every candidate tenant file (as ``load_tenants`` selects them)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return {}
    found = {}
    for entry in entries:
        if entry.name.endswith(SUFFIXES) and not entry.name.startswith(("_", ".")) and entry.is_file():
            stat = entry.stat()
            found[entry.name] = (stat.st_size, stat.st_mtime_ns)
    return found


class TenantCatalog:
    """Thread-safe cache of one tenant folder (default: ``$JETSHOP_HOGIA_TENANTS_DIR``)."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        loader: Callable[[Path], TenantConfig] = load_tenant_file,
        recheck_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._folder = folder
        self._loader = loader
        self._recheck = recheck_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._files: dict[str, tuple[FileKey, TenantConfig | TenantConfigError]] = {}
        self._cached: tuple[Path, dict[str, FileKey], TenantSnapshot] | None = None

    @property
    def folder(self) -> Path:
        return self._folder or tenants_dir()

    def snapshot(self) -> TenantSnapshot:
        """The current tenants; re-parses only files added or changed since the last look."""
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
            snapshot = self._reload(folder, current, same_folder=cached is not None and cached[0] == folder)
            self._cached = (folder, current, snapshot)
            return snapshot

    def _reload(self, folder: Path, current: dict[str, FileKey], *, same_folder: bool) -> TenantSnapshot:
        previous = self._files if same_folder else {}
        files: dict[str, tuple[FileKey, TenantConfig | TenantConfigError]] = {}
        for name, key in sorted(current.items()):
            known = previous.get(name)
            if known is not None and known[0] == key:
                files[name] = known
                continue
            try:
                files[name] = (key, self._loader(folder / name))
            except TenantConfigError as error:
                files[name] = (key, error)
        self._files = files
        tenants: dict[str, TenantConfig] = {}
        errors: list[TenantConfigError] = []
        for name, (_key, loaded) in files.items():
            stem = Path(name).stem
            if isinstance(loaded, TenantConfigError):
                errors.append(loaded)
            elif stem in tenants:
                errors.append(
                    TenantConfigError(stem, folder / name, [Problem("<file>", "tenant defined twice")])
                )
            else:
                tenants[stem] = loaded
        return TenantSnapshot(tuple(tenants[stem] for stem in sorted(tenants)), tuple(errors))
