"""The outcome cache: an unchanged tenant file is validated once across parses and DAG files, never trusted.

Each test gets its own cache folder; ``forget_open_caches`` plays a fresh parse process (the
dag-processor parses every DAG file in its own process).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tenant_files import tenant_dict, write_tenant

from jetshop_hogia.config import StreamRequirements, TenantConfig, load_tenants
from jetshop_hogia.config import loader as loader_module
from jetshop_hogia.config.cache import CACHE_DIR_ENV, forget_open_caches
from jetshop_hogia.config.models import Flow

CATALOG = {"orders": StreamRequirements(flows=frozenset(Flow))}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    forget_open_caches()
    yield folder
    forget_open_caches()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the tenant files actually parsed (YAML read), in order."""
    seen: list[str] = []
    real = loader_module._read_yaml

    def counting(path: Path) -> dict[str, object]:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(loader_module, "_read_yaml", counting)
    return seen


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tenants"
    write_tenant(folder, tenant_dict(tenant_id="alpha"))
    write_tenant(folder, tenant_dict(tenant_id="beta", plan=250))
    write_tenant(folder, tenant_dict(tenant_id="gamma", schedule="0 0 31 2 *"))
    return folder


def _fresh_process() -> None:
    forget_open_caches()


@pytest.mark.usefixtures("cache_dir")
def test_a_second_parse_process_reads_no_unchanged_file_and_gets_the_same_outcome(
    tmp_path: Path, reads: list[str]
) -> None:
    folder = _folder(tmp_path)
    first = load_tenants(folder, catalog=CATALOG, cached=True)
    assert sorted(reads) == ["alpha.yaml", "beta.yaml", "gamma.yaml"]

    reads.clear()
    _fresh_process()
    second = load_tenants(folder, catalog=CATALOG, cached=True)
    errors_file = load_tenants(folder, catalog=CATALOG, cached=True, errors_only=True)

    assert reads == []
    assert second.tenants == first.tenants
    assert [str(e) for e in second.errors] == [str(e) for e in first.errors]
    assert [e.tenant for e in second.errors] == ["beta", "gamma"]
    assert errors_file.tenants == []
    assert [str(e) for e in errors_file.errors] == [str(e) for e in first.errors]


@pytest.mark.usefixtures("cache_dir")
def test_an_edited_file_is_read_again_and_only_that_one(tmp_path: Path, reads: list[str]) -> None:
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    reads.clear()

    write_tenant(folder, tenant_dict(tenant_id="beta", plan=400))  # fixed
    _fresh_process()
    loaded = load_tenants(folder, catalog=CATALOG, cached=True)

    assert reads == ["beta.yaml"]
    assert [t.tenant_id for t in loaded.tenants] == ["alpha", "beta"]
    assert [e.tenant for e in loaded.errors] == ["gamma"]


@pytest.mark.usefixtures("cache_dir")
def test_a_deleted_tenant_disappears(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    (folder / "alpha.yaml").unlink()
    _fresh_process()

    loaded = load_tenants(folder, catalog=CATALOG, cached=True)

    assert loaded.tenants == []
    assert [e.tenant for e in loaded.errors] == ["beta", "gamma"]


@pytest.mark.usefixtures("cache_dir")
def test_another_stream_catalog_validates_again(tmp_path: Path, reads: list[str]) -> None:
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    reads.clear()
    _fresh_process()

    loaded = load_tenants(folder, catalog={}, cached=True)  # the orders stream is gone

    assert sorted(reads) == ["alpha.yaml", "beta.yaml", "gamma.yaml"]
    assert loaded.tenants == []
    assert "unknown stream 'orders'" in str(loaded.errors[0])


def test_a_tampered_entry_is_validated_like_a_file_would_be(tmp_path: Path, cache_dir: Path) -> None:
    """The cache is a shortcut, not a trust boundary: a cached config passes the same model again."""
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    [cache_file] = cache_dir.glob("tenants-*.json")
    document = json.loads(cache_file.read_text(encoding="utf-8"))
    document["files"]["alpha.yaml"]["config"]["plan"] = 999
    cache_file.write_text(json.dumps(document), encoding="utf-8")
    _fresh_process()

    loaded = load_tenants(folder, catalog=CATALOG, cached=True)

    assert loaded.tenants == []
    assert "field 'plan'" in str(loaded.errors[0])


def test_a_damaged_cache_file_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    for cache_file in cache_dir.glob("tenants-*.json"):
        cache_file.write_text('{"format": 1, "files": {"alpha.yaml": ', encoding="utf-8")
    _fresh_process()

    assert [t.tenant_id for t in load_tenants(folder, catalog=CATALOG, cached=True).tenants] == ["alpha"]


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # noqa: S103 - the point of the test
    monkeypatch.setenv(CACHE_DIR_ENV, str(shared))
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    _fresh_process()
    reads.clear()

    load_tenants(folder, catalog=CATALOG, cached=True)

    assert list(shared.iterdir()) == []
    assert len(reads) == 3


def test_the_cache_can_be_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, "off")
    folder = _folder(tmp_path)
    load_tenants(folder, catalog=CATALOG, cached=True)
    _fresh_process()
    reads.clear()

    load_tenants(folder, catalog=CATALOG, cached=True)

    assert len(reads) == 3


def test_a_config_survives_its_json_round_trip(tmp_path: Path) -> None:
    """What the cache stores (``model_dump(mode='json')``) validates back to an equal config."""
    data = tenant_dict(
        tenant_id="rich",
        plan=800,
        start_date="2026-03-01",
        mapping_plugins=["pkg.mod:fn", {"plugin": "pkg.mod:other", "params": {"when": "2026-01-01"}}],
        shops=[
            {
                "id": "rich",
                "connection_id": "jetshop_rich",
                "channels": [
                    {"channel_id": 1, "currency": "SEK", "price_list": "23b8c1e9-3924-46de-beb1-3b9046685257"}
                ],
            }
        ],
    )
    config = loader_module.load_tenant_file(write_tenant(tmp_path, data))

    assert TenantConfig.model_validate(config.model_dump(mode="json")) == config


@pytest.mark.usefixtures("cache_dir")
def test_a_config_json_cannot_carry_faithfully_is_not_cached(tmp_path: Path, reads: list[str]) -> None:
    """A YAML date inside plugin params would come back from JSON as a string: read that file each time."""
    folder = tmp_path / "tenants"
    write_tenant(folder, tenant_dict(tenant_id="alpha"))
    text = (folder / "alpha.yaml").read_text(encoding="utf-8").replace("plan: 200", "plan: 800")
    text += "mapping_plugins:\n  - {plugin: pkg.mod:fn, params: {since: 2026-01-01}}\n"
    (folder / "dated.yaml").write_text(text.replace("tenant_id: alpha", "tenant_id: dated"), encoding="utf-8")
    load_tenants(folder, catalog=CATALOG, cached=True)
    _fresh_process()
    reads.clear()

    loaded = load_tenants(folder, catalog=CATALOG, cached=True)

    assert reads == ["dated.yaml"]
    dated = next(t for t in loaded.tenants if t.tenant_id == "dated")
    assert dated.mapping_plugins[0].params["since"].isoformat() == "2026-01-01"
