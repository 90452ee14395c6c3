"""The provider is what Airflow sees: provider info, connection types in the CLI, connections stored."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from airflow.providers.http.hooks.http import HttpHook

import jetshop_hogia_provider
from jetshop_hogia_provider import get_provider_info
from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
from jetshop_hogia_provider.hooks.jetshop import JetshopHook

AIRFLOW = str(Path(sys.executable).parent / "airflow")
ORG = "8f0e7e4c-1b52-4a43-9a5e-2f7b1c0d9e11"


def _schema(name: str) -> dict[str, object]:
    return json.loads(files("airflow").joinpath(name).read_text())  # type: ignore[no-any-return]


def test_provider_info_satisfies_airflows_schemas() -> None:
    info = get_provider_info()
    jsonschema.validate(info, _schema("provider_info.schema.json"))
    behaviour_schema = _schema("customized_form_field_behaviours.schema.json")
    for conn in info["connection-types"]:
        behaviour = {k.replace("-", "_"): v for k, v in conn["ui-field-behaviour"].items()}
        jsonschema.validate(behaviour, behaviour_schema)
        for field in conn["conn-fields"].values():
            assert {"label", "schema"} <= set(field)


def test_provider_info_names_this_distribution_and_its_version() -> None:
    info = get_provider_info()
    assert info["package-name"] == "airflow-jetshop-hogia"
    assert info["versions"] == [version("airflow-jetshop-hogia")] == [jetshop_hogia_provider.__version__]
    by_type = {c["connection-type"]: c["hook-class-name"] for c in info["connection-types"]}
    assert by_type == {
        "jetshop": "jetshop_hogia_provider.hooks.jetshop.JetshopHook",
        "hogia_smart": "jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook",
    }


def test_the_registered_hook_classes_are_http_hooks() -> None:
    for conn in get_provider_info()["connection-types"]:
        module, _, name = conn["hook-class-name"].rpartition(".")
        hook_class = getattr(importlib.import_module(module), name)
        assert issubclass(hook_class, HttpHook), conn["hook-class-name"]


def test_hook_classes_declare_what_airflow_reads() -> None:
    for hook, conn_type, attr in (
        (JetshopHook, "jetshop", "jetshop_conn_id"),
        (HogiaSmartHook, "hogia_smart", "hogia_smart_conn_id"),
    ):
        assert hook.conn_type == conn_type
        assert hook.conn_name_attr == attr
        assert hook.default_conn_name == f"{conn_type}_default"
        assert getattr(hook(**{attr: "x"}), attr) == "x"  # Airflow builds hooks by this keyword


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("airflow_home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW_")}
    env.update(
        AIRFLOW_HOME=str(home), AIRFLOW__CORE__LOAD_EXAMPLES="False", AIRFLOW__CORE__UNIT_TEST_MODE="False"
    )
    return env


def _airflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, f"airflow {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.airflow
def test_airflow_cli_lists_both_connection_types(airflow_env: dict[str, str]) -> None:
    result = _airflow(airflow_env, "providers", "hooks", "--output", "json")
    hooks = {row["connection_type"]: row for row in json.loads(result.stdout)}
    assert hooks["jetshop"]["class"] == "jetshop_hogia_provider.hooks.jetshop.JetshopHook"
    assert hooks["jetshop"]["conn_id_attribute_name"] == "jetshop_conn_id"
    assert hooks["hogia_smart"]["class"] == "jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook"
    assert hooks["hogia_smart"]["package_name"] == "airflow-jetshop-hogia"
    for conn_type in ("jetshop", "hogia_smart"):  # the classes Airflow lists are HttpHooks
        module, _, name = hooks[conn_type]["class"].rpartition(".")
        assert issubclass(getattr(importlib.import_module(module), name), HttpHook)
    ours = [
        line for line in result.stderr.splitlines() if "jetshop" in line.lower() or "hogia" in line.lower()
    ]
    assert ours == [], f"Airflow warned about the provider: {ours}"


@pytest.mark.airflow
def test_airflow_stores_connections_of_both_types(
    airflow_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _airflow(airflow_env, "db", "migrate")
    _airflow(
        airflow_env,
        "connections",
        "add",
        "shop_alpha",
        "--conn-type",
        "jetshop",
        "--conn-host",
        "http://127.0.0.1:8101/Webservice20/v3.0/webservice.asmx",
        "--conn-login",
        "alpha",
        "--conn-password",
        "alpha-jetshop",
        "--conn-extra",
        json.dumps({"shop_id": "1", "cultures": "sv-SE,nb-NO", "requests_per_second": 5}),
    )
    _airflow(
        airflow_env,
        "connections",
        "add",
        "ledger_alpha",
        "--conn-type",
        "hogia_smart",
        "--conn-host",
        "http://127.0.0.1:8102",
        "--conn-login",
        "alpha",
        "--conn-password",
        "alpha-hogia",
        "--conn-extra",
        json.dumps({"organisation_id": ORG, "rate_limit_requests": 20}),
    )
    exported = tmp_path / "connections.json"
    _airflow(airflow_env, "connections", "export", str(exported), "--file-format", "json")
    stored = json.loads(exported.read_text())
    # an unknown --conn-type is silently stored as "generic": these prove the types are registered
    assert stored["shop_alpha"]["conn_type"] == "jetshop"
    assert stored["ledger_alpha"]["conn_type"] == "hogia_smart"

    # what Airflow stored is what the hooks parse (handed over as an env connection, as a worker would)
    for conn_id in ("shop_alpha", "ledger_alpha"):
        conn = dict(stored[conn_id], extra=json.loads(stored[conn_id]["extra"]))
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))
    jetshop = JetshopHook("shop_alpha").config
    assert jetshop.cultures == ("sv-SE", "nb-NO")
    assert jetshop.rate_limit == (5, 1.0)
    hogia = HogiaSmartHook("ledger_alpha").config
    assert str(hogia.organisation_id) == ORG
    assert hogia.rate_limit_requests == 20
