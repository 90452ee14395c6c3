"""From a task context to a StreamRun: windows of scheduled and manual runs, run dirs, hooks, pools."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pendulum
import pytest
from tenant_dag_helpers import tenant_yaml, write_tenant_file

from jetshop_hogia.config import TenantConfig
from jetshop_hogia.orchestration import pools as pools_module
from jetshop_hogia.orchestration.resources import STATE_STORE_FACTORY_ENV, AirflowResources
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV, run_dir, storage_base, window_for_run

ACME = TenantConfig.model_validate(tenant_yaml("acme"))


def test_a_scheduled_run_owns_its_data_interval() -> None:
    context = {
        "data_interval_start": pendulum.datetime(2026, 3, 29, 0, 45, tz="UTC"),
        "data_interval_end": pendulum.datetime(2026, 3, 29, 1, 0, tz="UTC"),
        "params": {"window_start": None, "window_end": None},
    }

    window = window_for_run(context, ACME)

    assert (window.start, window.end) == (
        datetime(2026, 3, 29, 0, 45, tzinfo=UTC),
        datetime(2026, 3, 29, 1, tzinfo=UTC),
    )
    assert type(window.start) is datetime  # plain datetimes, not pendulum's subclass


def test_params_override_the_window_and_are_read_in_the_tenants_time_zone() -> None:
    context = {"params": {"window_start": "2026-03-29", "window_end": "2026-03-30T00:00:00+02:00"}}

    window = window_for_run(context, ACME)

    assert window.start == datetime(2026, 3, 28, 23, tzinfo=UTC)  # local midnight, CET
    assert window.end == datetime(2026, 3, 29, 22, tzinfo=UTC)
    with pytest.raises(ValueError, match="both window_start and window_end"):
        window_for_run({"params": {"window_start": "2026-03-29"}}, ACME)


def test_a_manual_run_without_interval_takes_the_last_complete_schedule_interval() -> None:
    triggered = SimpleNamespace(run_after=pendulum.datetime(2026, 3, 29, 3, 7, tz="Europe/Stockholm"))
    context = {"data_interval_start": None, "data_interval_end": None, "dag_run": triggered, "params": {}}

    window = window_for_run(context, ACME)

    assert window.local("Europe/Stockholm")[0].isoformat() == "2026-03-29T01:45:00+01:00"
    assert window.local("Europe/Stockholm")[1].isoformat() == "2026-03-29T03:00:00+02:00"


def test_run_dirs_are_per_tenant_and_run_and_safe_as_object_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RUN_STORAGE_ENV, "s3://bucket/sync/")
    assert storage_base() == "s3://bucket/sync"
    assert run_dir("acme", "scheduled_1") == "s3://bucket/sync/acme/scheduled_1"
    odd_a, odd_b = (
        run_dir("acme", "manual__2026-03-29T01:00:00+00:00"),
        run_dir("acme", "manual__2026-03-29T01_00_00_00_00"),
    )
    assert ":" not in odd_a.removeprefix("s3://")
    assert "+" not in odd_a
    assert odd_a != odd_b

    monkeypatch.delenv(RUN_STORAGE_ENV)
    monkeypatch.setenv("AIRFLOW_HOME", "/srv/airflow")
    assert storage_base() == "file:///srv/airflow/jetshop_hogia_runs"


class _Hook:
    conn_name_attr = "shop_conn_id"
    made: ClassVar[list[str]] = []

    def __init__(self, shop_conn_id: str) -> None:
        self.conn_id = shop_conn_id
        self.closed = False
        _Hook.made.append(shop_conn_id)

    def close(self) -> None:
        self.closed = True


def test_resources_create_hooks_lazily_once_from_the_tenants_connection_ids() -> None:
    two_shops = tenant_yaml(
        "gamma",
        shops=[
            {
                "id": "gamma",
                "connection_id": "jetshop_gamma",
                "channels": [{"channel_id": 1, "currency": "SEK"}],
            },
            {
                "id": "delta",
                "connection_id": "jetshop_delta",
                "channels": [{"channel_id": 3, "currency": "SEK"}],
            },
        ],
    )
    _Hook.made.clear()
    resources = AirflowResources(TenantConfig.model_validate(two_shops), jetshop_hook=_Hook, hogia_hook=_Hook)
    assert _Hook.made == []

    delta = resources.jetshop("delta")
    assert resources.jetshop("delta") is delta
    assert delta.conn_id == "jetshop_delta"
    assert resources.hogia().conn_id == "hogia_gamma"
    with pytest.raises(ValueError, match="several shops"):
        resources.jetshop()
    with pytest.raises(KeyError, match="no shop 'epsilon'"):
        resources.jetshop("epsilon")
    assert _Hook.made == ["jetshop_delta", "hogia_gamma"]

    resources.close()
    assert delta.closed


def test_the_state_store_comes_from_the_configured_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    store = AirflowResources(ACME, state_factory=lambda tenant: {"tenant": tenant.tenant_id}).state()
    assert store == {"tenant": "acme"}

    monkeypatch.setenv(STATE_STORE_FACTORY_ENV, "types:SimpleNamespace")
    with pytest.raises(TypeError):  # SimpleNamespace takes no positional tenant: proves it was called
        AirflowResources(ACME).state()


def test_the_default_state_store_is_the_shared_one_migrated_and_disposed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jetshop_hogia.state import StateStore
    from jetshop_hogia.state.connection import DEFAULT_CONN_ID

    database = tmp_path / "state.db"
    monkeypatch.delenv(STATE_STORE_FACTORY_ENV, raising=False)
    connection = json.dumps({"conn_type": "sqlite", "host": str(database)})
    monkeypatch.setenv(f"AIRFLOW_CONN_{DEFAULT_CONN_ID.upper()}", connection)
    resources = AirflowResources(ACME)

    store = resources.state()

    assert isinstance(store, StateStore)
    assert resources.state() is store
    assert store.is_up_to_date()
    assert database.is_file()
    resources.close()
    assert store._engine is None  # disposed at the end of the step


def test_the_pools_command_lists_two_pools_per_valid_tenant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tenant_file(tmp_path, tenant_yaml("acme", pool_slots={"jetshop": 3, "hogia": 1}))
    write_tenant_file(tmp_path, tenant_yaml("bolt"))
    write_tenant_file(tmp_path, tenant_yaml("crash", plan=999))
    calls: list[Any] = []
    monkeypatch.setattr(pools_module.subprocess, "run", lambda argv, **kw: calls.append(argv))

    assert pools_module.main(["--tenants-dir", str(tmp_path), "--dry-run"]) == 1  # a broken tenant: exit 1
    printed = capsys.readouterr()
    document = json.loads(printed.out)
    assert sorted(document) == [
        "tenant_acme_hogia",
        "tenant_acme_jetshop",
        "tenant_bolt_hogia",
        "tenant_bolt_jetshop",
    ]
    assert document["tenant_acme_jetshop"]["slots"] == 3
    assert document["tenant_acme_hogia"]["slots"] == 1
    assert "skipped: tenant 'crash'" in printed.err
    assert calls == []

    (tmp_path / "crash.yaml").unlink()
    assert pools_module.main(["--tenants-dir", str(tmp_path)]) == 0
    [argv] = calls
    assert argv[1:3] == ["pools", "import"]
    assert not Path(argv[3]).exists()


def test_the_real_provider_hooks_get_the_tenants_connection_ids() -> None:
    from jetshop_hogia_provider.hooks.hogia_smart import HogiaSmartHook
    from jetshop_hogia_provider.hooks.jetshop import JetshopHook

    resources = AirflowResources(ACME)

    jetshop, hogia = resources.jetshop(), resources.hogia()

    assert isinstance(jetshop, JetshopHook)
    assert jetshop.jetshop_conn_id == "jetshop_acme"
    assert isinstance(hogia, HogiaSmartHook)
    assert hogia.hogia_smart_conn_id == "hogia_acme"
    resources.close()


def test_without_the_state_connection_a_step_fails_fast_and_permanently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ``sync_state`` and no SQLite opt-in: the step's store is an error that names the connection."""
    from jetshop_hogia.orchestration.factory import PERMANENT_ERRORS
    from jetshop_hogia.state.connection import ALLOW_SQLITE_ENV, DEFAULT_CONN_ID, StateStoreNotConfiguredError

    monkeypatch.delenv(STATE_STORE_FACTORY_ENV, raising=False)
    monkeypatch.delenv(ALLOW_SQLITE_ENV, raising=False)
    monkeypatch.delenv(f"AIRFLOW_CONN_{DEFAULT_CONN_ID.upper()}", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "home"))

    with pytest.raises(StateStoreNotConfiguredError, match=f"'{DEFAULT_CONN_ID}' does not exist"):
        AirflowResources(ACME).state()
    assert not (tmp_path / "home" / "jetshop_hogia_state.db").exists()  # no stray ledger was created
    from airflow.sdk.module_loading import import_string

    permanent = tuple(import_string(path) for path in PERMANENT_ERRORS if isinstance(path, str))
    assert issubclass(StateStoreNotConfiguredError, permanent)  # no retries: they cannot create it
