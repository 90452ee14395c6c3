"""The ``initial_sync_<tenant>`` DAGs from ``dags/`` under ``dag.test()`` against the simulators; the form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from jetshop_hogia.config import TENANTS_DIR_ENV
from jetshop_hogia.initial_sync import options as sync_options
from jetshop_hogia.orchestration import initial_sync_dag
from jetshop_hogia.orchestration.factory import build_tenant_dags
from jetshop_hogia.orchestration.runtime import RUN_STORAGE_ENV
from jetshop_hogia.state import StateStore
from jetshop_hogia.state.initial_sync import InitialSyncRepository
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db")]

REPO = Path(__file__).resolve().parents[2]
TENANT = "alpha_shop_led"
DAG_ID = f"initial_sync_{TENANT}"


@pytest.fixture
def demo_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle
) -> str:
    """The demo tenant alone in a folder, wired to the simulators; returns the state store URL."""
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(REPO / "include" / "tenants" / f"{TENANT}.yaml", folder)
    (folder / "broken.yaml").write_text("tenant_id: broken\nflow: nonsense\n", encoding="utf-8")
    monkeypatch.setenv(TENANTS_DIR_ENV, str(folder))
    monkeypatch.setenv(RUN_STORAGE_ENV, (tmp_path / "runs").as_uri())
    user, password = jetshop_sim.credentials("alpha")
    jetshop = {
        "conn_type": "jetshop",
        "host": jetshop_sim.endpoint,
        "login": user,
        "password": password,
        "extra": {"shop_id": "alpha", "cultures": "sv-SE", "requests_per_second": 1000},
    }
    company = hogia_sim.company
    hogia = {
        "conn_type": "hogia_smart",
        "host": hogia_sim.url,
        "login": company.client_id,
        "password": company.client_secret,
        "extra": {"organisation_id": company.organisation_id, "rate_limit_requests": 1000},
    }
    monkeypatch.setenv("AIRFLOW_CONN_JETSHOP_ALPHA", json.dumps(jetshop))
    monkeypatch.setenv("AIRFLOW_CONN_HOGIA_ALPHA", json.dumps(hogia))
    url = f"sqlite:///{tmp_path / 'state.db'}"
    monkeypatch.setenv(
        "AIRFLOW_CONN_SYNC_STATE", json.dumps({"conn_type": "generic", "extra": {"sqlalchemy_url": url}})
    )
    monkeypatch.delenv("JETSHOP_HOGIA_STATE_STORE_FACTORY", raising=False)
    hogia_sim.set_rate_limit(None)
    return url


def _bag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO / "dags" / "tenant_sync.py"))
    assert not bag.import_errors
    return bag


def _dag() -> Any:
    dag = _bag().dags[DAG_ID]
    for task in dag.tasks:
        task.retries = 0
    return dag


def test_one_dag_per_valid_tenant_and_a_form_that_refuses_bad_input(demo_env: str) -> None:
    from airflow.sdk.definitions.param import ParamsDict
    from airflow.sdk.exceptions import ParamValidationError

    bag = _bag()
    # the broken file gets no DAG (tenant_config_errors.py names it); the digest is the demo's alerts'
    assert set(bag.dag_ids) == {DAG_ID, f"sync_{TENANT}", "jetshop_hogia_daily_digest"}
    dag = bag.dags[DAG_ID]
    assert type(dag.timetable).__name__ == "NullTimetable"  # schedule=None: only when triggered
    assert TENANT in dag.tags
    assert dag.max_active_runs == 1
    assert dag.is_paused_upon_creation is False  # a trigger in a deployment that pauses new DAGs still runs
    assert dag.params["dry_run"] is True
    assert dag.params["direction"] == "jetshop_to_hogia"  # shop_led: the shop leads the assortment
    assert "tenant" not in dag.params  # the DAG is the tenant's own
    for bad in (
        {"batch_size": 5},
        {"conflict_policy": "merge"},
        {"direction": "sideways"},
        {"dry_run": "yes"},
    ):
        params = ParamsDict(dag.params)
        with pytest.raises(ParamValidationError):  # the check the trigger form and the REST API run
            params.update(bad)
    bounds = (sync_options.MIN_BATCH, sync_options.MAX_BATCH, sync_options.DEFAULT_BATCH)
    assert bounds == (initial_sync_dag.MIN_BATCH, initial_sync_dag.MAX_BATCH, initial_sync_dag.DEFAULT_BATCH)


def test_the_direction_defaults_to_the_tenants_flow(demo_env: str) -> None:
    from jetshop_hogia.config import load_tenant

    erp = load_tenant("beta_erp_led", REPO / "include" / "tenants")
    dag = initial_sync_dag.build_initial_sync_dag(erp)
    assert dag.dag_id == "initial_sync_beta_erp_led"
    assert dag.params["direction"] == "hogia_to_jetshop"


def test_a_task_process_builds_only_its_own_tenant(demo_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", DAG_ID)
    assert set(build_tenant_dags()) == {DAG_ID}
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", f"sync_{TENANT}")
    assert set(build_tenant_dags()) == {f"sync_{TENANT}"}  # the tenant's sync task builds only its DAG
    monkeypatch.setenv("_AIRFLOW_PARSING_CONTEXT_DAG_ID", "replay_order")
    assert build_tenant_dags() == {}


def test_dag_test_previews_then_syncs_the_demo_tenant(demo_env: str, hogia_sim: HogiaSimHandle) -> None:
    dag = _dag()
    register = hogia_sim.simulator.state.company(hogia_sim.company.organisation_id)
    assert register is not None
    before = len(register.articles)

    preview = dag.test(run_conf={"batch_size": 10})
    assert str(preview.state) == "success"
    assert len(register.articles) == before  # a dry run by default

    run = dag.test(run_conf={"dry_run": False, "batch_size": 10, "conflict_policy": "skip"})

    states = {(ti.task_id, ti.map_index): str(ti.state) for ti in run.get_task_instances()}
    assert set(states.values()) == {"success"}
    mapped = [ti for ti in run.get_task_instances() if ti.task_id == "sync_batch"]
    assert len(mapped) >= 2
    assert all(ti.rendered_map_index.startswith("Hogia #") for ti in mapped)
    with StateStore(demo_env) as store, store.transaction() as tx:
        report = InitialSyncRepository(tx.connection, store.now).report(TENANT, run.run_id)
    assert report is not None
    assert report["options"]["conflict_policy"] == "skip"
    assert report["counts"]["failed"] == 0
    assert report["counts"]["created"] == len(register.articles) - before
    assert report["planned"] == sum(report["counts"].values())
