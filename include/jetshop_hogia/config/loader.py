"""Reading tenant files: one ``<tenant_id>.yaml`` per tenant in a folder, each validated on its own.

The file name *is* the tenant id (the ``tenant_id`` inside must repeat it). That lets a task process,
which Airflow tells which DAG it runs (``get_parsing_context``), open exactly one file instead of reading
and validating every tenant. Files whose names start with ``_`` or ``.`` are ignored (templates,
switched-off tenants). Loading never touches the network or a database: it runs at DAG-parse time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jetshop_hogia.config.cache import Outcome, OutcomeCache, collector_paused, file_key, outcome_cache
from jetshop_hogia.config.errors import (
    Problem,
    TenantConfigError,
    problems_from_validation_error,
    short_text,
    value_repr,
)
from jetshop_hogia.config.models import TENANT_ID_PATTERN, TenantConfig
from jetshop_hogia.config.rules import StreamCatalog, check_rules, check_streams

TENANTS_DIR_ENV = "JETSHOP_HOGIA_TENANTS_DIR"
"""Deployments point this at their own folder of tenant files; unset means ``include/tenants``."""

DEFAULT_TENANTS_DIR = Path(__file__).resolve().parents[2] / "tenants"
SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 32 * 1024
"""A tenant file is a few dozen lines (~1 KB); a huge one is a mistake and must not slow down DAG parsing
(the cap keeps any file, good or bad, in the tens of milliseconds)."""
MAX_DEPTH = 12
"""Nesting the schema never needs (it is 5 deep at most); deeper is refused before anything recurses."""


def tenants_dir() -> Path:
    """The folder holding the tenant files (``$JETSHOP_HOGIA_TENANTS_DIR`` or ``include/tenants``)."""
    configured = os.environ.get(TENANTS_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_TENANTS_DIR


def tenant_files(directory: Path) -> list[Path]:
    """The tenant files in ``directory``, sorted; raises when the folder itself is missing."""
    if not directory.is_dir():
        raise FileNotFoundError(f"tenant folder {directory} does not exist (set {TENANTS_DIR_ENV})")
    return sorted(
        path
        for path in directory.iterdir()
        if path.suffix in SUFFIXES and not path.name.startswith(("_", ".")) and path.is_file()
    )


def find_tenant_file(tenant_id: str, directory: Path) -> Path | None:
    """``<directory>/<tenant_id>.yaml`` (or ``.yml``) if it exists."""
    if not re.fullmatch(TENANT_ID_PATTERN, tenant_id):  # never build paths from arbitrary text
        return None
    for suffix in SUFFIXES:
        candidate = directory / f"{tenant_id}{suffix}"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class LoadResult:
    """The usable tenants and, separately, the broken ones: one bad file must not hide the others."""

    tenants: list[TenantConfig] = field(default_factory=list)
    errors: list[TenantConfigError] = field(default_factory=list)


def load_tenants(
    directory: Path | None = None,
    *,
    only: str | None = None,
    catalog: StreamCatalog | None = None,
    cached: bool = False,
    errors_only: bool = False,
) -> LoadResult:
    """Load every tenant file (or just tenant ``only``), collecting errors per file instead of stopping.

    ``catalog`` (the registered streams) also checks each tenant's ``streams``; without it only the
    schema and the plan/flow rules are checked. ``cached`` reuses the outcome of files unchanged since
    they were last validated (see :mod:`jetshop_hogia.config.cache`: what the DAG files use, so that a
    parse round reads each tenant file at most once); ``errors_only`` skips building the valid configs
    when only the broken files are wanted.
    """
    with collector_paused():  # a parse process's full collections would cost more than the reading
        return _load_tenants(directory, only, catalog, cached=cached, errors_only=errors_only)


def _load_tenants(
    directory: Path | None,
    only: str | None,
    catalog: StreamCatalog | None,
    *,
    cached: bool,
    errors_only: bool,
) -> LoadResult:
    folder = directory or tenants_dir()
    if only is not None:
        path = find_tenant_file(only, folder)
        paths = [path] if path is not None else []
    else:
        paths = tenant_files(folder)
    cache = outcome_cache(folder, catalog) if cached and only is None else OutcomeCache(None)
    result = LoadResult()
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            if path.stem in seen:
                raise TenantConfigError(
                    path.stem, path, [Problem("<file>", f"tenant also defined in {seen[path.stem].name}")]
                )
            seen[path.stem] = path
            config = _load_through(cache, path, catalog, errors_only=errors_only)
            if config is not None:
                result.tenants.append(config)
        except TenantConfigError as error:
            result.errors.append(error)
    if only is None:
        cache.keep_only(path.name for path in paths)
    cache.save()
    return result


def _load_through(
    cache: OutcomeCache, path: Path, catalog: StreamCatalog | None, *, errors_only: bool
) -> TenantConfig | None:
    """``path``'s config from the cache when the file is unchanged, else from the file (and cache it)."""
    try:
        key = file_key(path)  # taken before reading: a file edited meanwhile is simply read again next time
    except OSError:
        return load_tenant_file(path, catalog=catalog)  # reports why it cannot be read
    known = cache.get(path.name, key)
    if known is None:
        try:
            config = load_tenant_file(path, catalog=catalog)
        except TenantConfigError as error:
            cache.put(path.name, Outcome(key, problems=error.problems))
            raise
        dumped = config.model_dump(mode="json")
        if TenantConfig.model_validate(dumped) == config:  # e.g. a date in plugin params would not be
            cache.put(path.name, Outcome(key, config=dumped))
        return config
    if known.config is None:
        raise known.error(path.stem, path)
    return None if errors_only else validate_tenant(known.config, path, catalog=catalog)


def load_tenant(
    tenant_id: str, directory: Path | None = None, *, catalog: StreamCatalog | None = None
) -> TenantConfig:
    """The one tenant ``tenant_id``; raises :class:`TenantConfigError` when missing or broken."""
    folder = directory or tenants_dir()
    path = find_tenant_file(tenant_id, folder)
    if path is None:
        raise TenantConfigError(
            tenant_id, folder / f"{tenant_id}.yaml", [Problem("<file>", "no such tenant file")]
        )
    return load_tenant_file(path, catalog=catalog)


def load_tenant_file(path: Path, *, catalog: StreamCatalog | None = None) -> TenantConfig:
    """Parse and validate one file; every problem found is reported in one :class:`TenantConfigError`."""
    return validate_tenant(_read_yaml(path), path, catalog=catalog)


def validate_tenant(
    raw: Mapping[str, Any], path: Path, *, catalog: StreamCatalog | None = None
) -> TenantConfig:
    """Validate the parsed content of tenant file ``path``: schema, file name, plan/flow and stream rules."""
    tenant = path.stem
    try:
        config = TenantConfig.model_validate(raw)
    except ValidationError as error:
        raise TenantConfigError(tenant, path, problems_from_validation_error(error)) from None
    problems = []
    if config.tenant_id != tenant:
        problems.append(
            Problem(
                "tenant_id", f"{config.tenant_id!r} must equal the file name {tenant!r} (one file per tenant)"
            )
        )
    problems += check_rules(config)
    if catalog is not None:
        problems += check_streams(config, catalog)
    if problems:
        raise TenantConfigError(tenant, path, problems)
    return config


_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it (10× faster than the pure-Python one)."""


class _StrictLoader(_FastLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        keys: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {value_repr(key)}", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _structure_problem(text: str) -> str | None:
    """Walk the YAML events (no objects built) and stop at the first anchor, alias or too-deep node.

    Aliases are what make a 1 KB "billion laughs" file expand into gigabytes (and then a validation
    error that repr()s it): a tenant file has no use for them, so the first ``&anchor`` or ``*alias``
    is an error at its line. Nesting is capped before anything recurses over it.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_FastLoader):
        problem = None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            problem = "anchors and aliases (&name, *name) are not allowed in tenant files"
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            problem = f"nested deeper than {MAX_DEPTH} levels" if depth > MAX_DEPTH else None
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if problem is not None:
            mark = event.start_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
            return f"not valid YAML: {where}{problem}"
    return None


def _read_yaml(path: Path) -> dict[str, Any]:
    tenant = path.stem
    try:
        size = path.stat().st_size
        text = path.read_text(encoding="utf-8") if size <= MAX_FILE_BYTES else ""
    except (OSError, UnicodeDecodeError) as error:
        raise TenantConfigError(tenant, path, [Problem("<file>", f"cannot be read: {error}")]) from None
    if size > MAX_FILE_BYTES:
        raise TenantConfigError(tenant, path, [Problem("<file>", f"larger than {MAX_FILE_BYTES} bytes")])
    try:
        structure = _structure_problem(text)
        data = None if structure else yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader kin
    except yaml.YAMLError as error:
        raise TenantConfigError(tenant, path, [Problem("<yaml>", _yaml_message(error))]) from None
    except ValueError as error:  # a value PyYAML cannot build, e.g. an integer of 5,000 digits
        problem = Problem("<yaml>", f"not valid YAML: {short_text(str(error))}")
        raise TenantConfigError(tenant, path, [problem]) from None
    if structure is not None:
        raise TenantConfigError(tenant, path, [Problem("<yaml>", structure)])
    if not isinstance(data, dict):
        kind = "an empty file" if data is None else type(data).__name__
        raise TenantConfigError(
            tenant, path, [Problem("<file>", f"expected a mapping of fields, got {kind}")]
        )
    return data


def _yaml_message(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"not valid YAML: {where}{short_text(problem)}"
