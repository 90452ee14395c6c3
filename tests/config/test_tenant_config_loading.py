"""Loading a folder of tenant files: per-file errors, the env override, the demo tenants, no Airflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tenant_files import tenant_dict, write_tenant

from jetshop_hogia.config import (
    TENANTS_DIR_ENV,
    Flow,
    TenantConfigError,
    load_tenant,
    load_tenants,
    tenants_dir,
)
from jetshop_hogia.config import loader as loader_module

REPO_TENANTS = Path(__file__).resolve().parents[2] / "include" / "tenants"


def test_one_broken_file_does_not_hide_the_others(tmp_path: Path) -> None:
    write_tenant(tmp_path, tenant_dict(tenant_id="alpha"))
    write_tenant(tmp_path, tenant_dict(tenant_id="beta", plan=250))
    write_tenant(tmp_path, tenant_dict(tenant_id="gamma"))

    loaded = load_tenants(tmp_path)

    assert [t.tenant_id for t in loaded.tenants] == ["alpha", "gamma"]
    [error] = loaded.errors
    assert error.tenant == "beta"
    assert [p.field for p in error.problems] == ["plan"]


def test_templates_hidden_files_and_other_suffixes_are_ignored(tmp_path: Path) -> None:
    write_tenant(tmp_path, tenant_dict(tenant_id="alpha"))
    write_tenant(tmp_path, "not: [valid", name="_template")
    (tmp_path / ".alpha.yaml.swp").write_text("garbage", encoding="utf-8")
    (tmp_path / "README.md").write_text("# tenants", encoding="utf-8")

    loaded = load_tenants(tmp_path)

    assert [t.tenant_id for t in loaded.tenants] == ["alpha"]
    assert loaded.errors == []


def test_the_same_tenant_in_yaml_and_yml_is_an_error(tmp_path: Path) -> None:
    write_tenant(tmp_path, tenant_dict(tenant_id="alpha"))
    (tmp_path / "alpha.yml").write_text(
        (tmp_path / "alpha.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )

    loaded = load_tenants(tmp_path)

    assert len(loaded.tenants) == 1
    assert "also defined in alpha.yaml" in str(loaded.errors[0])


def test_only_reads_just_that_tenants_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for tenant_id in ("alpha", "beta", "gamma"):
        write_tenant(tmp_path, tenant_dict(tenant_id=tenant_id))
    opened: list[str] = []
    real = loader_module.load_tenant_file
    monkeypatch.setattr(
        loader_module, "load_tenant_file", lambda path, **kw: opened.append(path.name) or real(path, **kw)
    )

    loaded = load_tenants(tmp_path, only="beta")

    assert [t.tenant_id for t in loaded.tenants] == ["beta"]
    assert opened == ["beta.yaml"]
    assert load_tenants(tmp_path, only="missing").tenants == []
    (tmp_path / "inner").mkdir()
    assert load_tenants(tmp_path / "inner", only="../beta").tenants == []  # no path tricks via the id


def test_load_tenant_names_a_missing_tenant(tmp_path: Path) -> None:
    with pytest.raises(TenantConfigError, match="no such tenant file"):
        load_tenant("nobody", tmp_path)


def test_the_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tenant(tmp_path, tenant_dict(tenant_id="alpha"))
    monkeypatch.setenv(TENANTS_DIR_ENV, str(tmp_path))

    assert tenants_dir() == tmp_path
    assert load_tenant("alpha").tenant_id == "alpha"

    monkeypatch.setenv(TENANTS_DIR_ENV, str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match=TENANTS_DIR_ENV):
        load_tenants()


def test_the_demo_tenants_cover_every_flow_and_one_has_two_shops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TENANTS_DIR_ENV, raising=False)
    assert tenants_dir() == REPO_TENANTS

    loaded = load_tenants()

    assert loaded.errors == []
    by_flow = {tenant.flow: tenant for tenant in loaded.tenants}
    assert set(by_flow) == set(Flow)
    assert [s.connection_id for s in by_flow[Flow.COMBO].shops] == ["jetshop_gamma", "jetshop_delta"]
    hogia_ids = {t.hogia.connection_id for t in loaded.tenants}
    assert hogia_ids == {"hogia_alpha", "hogia_beta", "hogia_gamma"}
    beta = by_flow[Flow.ERP_LED]
    assert [c.currency for c in beta.shops[0].channels] == ["SEK", "NOK"]
    assert beta.order_status_feedback is not None
    assert beta.order_status_feedback.enabled


def test_config_and_streams_do_not_import_airflow() -> None:
    code = (
        "import sys, jetshop_hogia.config, jetshop_hogia.kernel, jetshop_hogia.streams;"
        "import jetshop_hogia.orchestration.pools;"
        "print(sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"


def test_the_demo_tenants_match_the_simulators_seeded_shops(monkeypatch: pytest.MonkeyPatch) -> None:
    """Channel ids, currencies and price lists must be the ones the demo's Jetshop simulator serves."""
    from jetshop_hogia_simulators.seed import generate_world

    monkeypatch.delenv(TENANTS_DIR_ENV, raising=False)
    seeded = {
        shop.shop_id: {(c.channel_id, c.currency, c.price_list_id) for c in shop.channels}
        for shop in generate_world(42).shops
    }

    for tenant in load_tenants().tenants:
        for shop in tenant.shops:
            configured = {(c.channel_id, c.currency, str(c.price_list)) for c in shop.channels}
            assert configured == seeded[shop.id], f"{tenant.tenant_id}: shop {shop.id}"
