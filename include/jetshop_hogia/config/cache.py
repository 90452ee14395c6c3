"""What each tenant file validated to, remembered across DAG parses by the file's identity.

Both DAG files need every tenant's outcome (``tenant_sync.py`` the valid configs, ``tenant_config_errors.py``
the broken ones), and Airflow parses each DAG file in its own short-lived process, again every
``min_file_process_interval``. Without a shared record every parse of every file would read and validate
all tenant files (1,000 tenants: two full reads per parse round). This cache stores, per tenant file,
the outcome of the last validation keyed by the file's ``(mtime_ns, size, inode)``: an unchanged file is
never parsed again, a changed one is parsed once by whichever DAG file comes first.

Safe by construction: a cached *valid* config is stored as its JSON dump and re-validated by the same
model when read (so a tampered cache entry can do no more than a tenant file could), a cached *error*
only repeats the problems. The cache is keyed by a fingerprint of the validation code (this package's
source files) and of the stream catalog (stream classes' modules), so a deployment that changes a rule
or a stream re-validates everything. It lives in ``$JETSHOP_HOGIA_PARSE_CACHE_DIR`` (default: a
per-user folder in the system temp dir, mode 0700); when it cannot be read or written, loading simply
reads the files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jetshop_hogia.config.errors import Problem, TenantConfigError
from jetshop_hogia.config.rules import StreamCatalog

CACHE_DIR_ENV = "JETSHOP_HOGIA_PARSE_CACHE_DIR"
"""Where the outcomes are kept; set it to ``off`` to disable the cache."""

_FORMAT = 1
FileKey = tuple[int, int, int]
"""``(mtime_ns, size, inode)``: an edit, a copy over it or an atomic replace all change it."""


def file_key(path: Path) -> FileKey:
    """The identity of ``path``'s current content as far as the file system tells without reading it."""
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass(frozen=True)
class Outcome:
    """One file's validation result: the config as JSON (valid) or the problems (broken)."""

    key: FileKey
    config: Mapping[str, Any] | None = None
    problems: tuple[Problem, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": list(self.key)}
        if self.config is not None:
            data["config"] = self.config
        else:
            data["problems"] = [[problem.field, problem.message] for problem in self.problems]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome:
        key = tuple(int(part) for part in data["key"])
        if len(key) != 3:
            raise ValueError("bad key")
        if "config" in data:
            return cls((key[0], key[1], key[2]), config=dict(data["config"]))
        problems = tuple(Problem(str(field), str(message)) for field, message in data["problems"])
        return cls((key[0], key[1], key[2]), problems=problems)

    def error(self, tenant: str, path: Path) -> TenantConfigError:
        """The cached failure as the error the loader would raise."""
        return TenantConfigError(tenant, path, self.problems)


class OutcomeCache:
    """The outcomes of one tenant folder under one code/catalog fingerprint; loaded once per process."""

    def __init__(self, file: Path | None) -> None:
        self._file = file
        self._outcomes: dict[str, Outcome] = {}
        self._dirty = False
        if file is not None:
            self._outcomes = _read(file)

    def get(self, name: str, key: FileKey) -> Outcome | None:
        """The outcome recorded for file ``name`` if its key still matches."""
        outcome = self._outcomes.get(name)
        return outcome if outcome is not None and outcome.key == key else None

    def put(self, name: str, outcome: Outcome) -> None:
        """Remember ``outcome`` for file ``name`` (written by :meth:`save`)."""
        self._outcomes[name] = outcome
        self._dirty = True

    def keep_only(self, names: Iterable[str]) -> None:
        """Forget files that no longer exist (a deleted tenant must not linger)."""
        wanted = set(names)
        for name in [name for name in self._outcomes if name not in wanted]:
            del self._outcomes[name]
            self._dirty = True

    def save(self) -> None:
        """Write the outcomes atomically if anything changed; a failure to write is not an error."""
        if self._file is None or not self._dirty:
            return
        document = {"format": _FORMAT, "files": {n: o.as_json() for n, o in self._outcomes.items()}}
        with contextlib.suppress(OSError):
            handle, temporary = tempfile.mkstemp(dir=self._file.parent, prefix=".outcomes-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(document, stream, separators=(",", ":"))
                os.replace(temporary, self._file)
            finally:
                Path(temporary).unlink(missing_ok=True)
        self._dirty = False


_OPEN: dict[Path, OutcomeCache] = {}
"""Per process: the second DAG file parsed in the same process (DagBag, tests) reuses the first's."""


def outcome_cache(folder: Path, catalog: StreamCatalog | None) -> OutcomeCache:
    """The cache of ``folder`` for this code and ``catalog`` (a no-op cache when disabled)."""
    root = _cache_root()
    if root is None:
        return OutcomeCache(None)
    fingerprint = hashlib.sha256(
        f"{_FORMAT}\0{folder.resolve()}\0{_code_fingerprint()}\0{_catalog_fingerprint(catalog)}".encode()
    ).hexdigest()[:24]
    file = root / f"tenants-{fingerprint}.json"
    if file not in _OPEN:
        _OPEN[file] = OutcomeCache(file)
    return _OPEN[file]


def forget_open_caches() -> None:
    """Drop the in-process layer (tests, benchmarks: simulate a fresh parse process)."""
    _OPEN.clear()


def _cache_root() -> Path | None:
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    if configured.lower() == "off":
        return None
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / f"jetshop-hogia-{_user()}"
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        stat = root.stat()
    except OSError:
        return None
    # only a folder of our own that nobody else can write: a forged entry could hide a good tenant
    owned = getattr(os, "getuid", lambda: stat.st_uid)() == stat.st_uid
    return root if owned and not stat.st_mode & 0o022 and os.access(root, os.W_OK) else None


def _user() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else "user"


def _read(file: Path) -> dict[str, Outcome]:
    try:
        document = _decode(file.read_text(encoding="utf-8"))
        if document.get("format") != _FORMAT:
            return {}
        return {str(name): Outcome.from_json(data) for name, data in document["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # missing, half-written by an old version, or damaged: start over


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a block that only builds acyclic data.

    Reading a thousand tenants (paths, decoded JSON, validated configs) allocates ~100,000 objects; in a
    parse process that already holds Airflow's object graph each allocation burst triggers full
    collections that cost several times the work itself. Nothing built here forms a cycle, so pausing
    the collector frees nothing late; it is switched back on (if it was on) however the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decode(text: str) -> Any:
    """``json.loads`` with the collector paused (see :func:`collector_paused`; JSON cannot form cycles)."""
    with collector_paused():
        return json.loads(text)


def _code_fingerprint() -> str:
    """Changes whenever a source file of the validation code changes (a deployment of new rules)."""
    package = Path(__file__).resolve().parent
    return _files_fingerprint(sorted(package.glob("*.py")))


def _catalog_fingerprint(catalog: StreamCatalog | None) -> str:
    if catalog is None:
        return "no-catalog"
    parts = []
    files = []
    for name, requirements in sorted(catalog.items()):
        check = requirements.check
        owner = getattr(check, "__self__", None) or check
        module = sys.modules.get(getattr(owner, "__module__", "") or "")
        if module is not None and getattr(module, "__file__", None):
            files.append(Path(str(module.__file__)))
        flows = sorted(str(flow) for flow in requirements.flows)
        features = sorted(str(feature) for feature in requirements.requires)
        parts.append(f"{name}:{flows}:{features}:{getattr(check, '__qualname__', repr(check))}")
    return "|".join(parts) + _files_fingerprint(files)


def _files_fingerprint(files: Iterable[Path]) -> str:
    stamps = []
    for file in files:
        with contextlib.suppress(OSError):
            stat = file.stat()
            stamps.append(f"{file}:{stat.st_mtime_ns}:{stat.st_size}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()
