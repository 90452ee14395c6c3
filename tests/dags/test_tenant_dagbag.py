"""The DAG files under Airflow's own machinery: DagBag, the parse → DB sync, parsing context, dag.test."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tenant_dag_helpers import FakeOrders, tenant_yaml, write_tenant_file

from jetshop_hogia.config import TENANTS_DIR_ENV, Flow
from jetshop_hogia.config import loader as loader_module
from jetshop_hogia.kernel import MAX_XCOM_BYTES, REGISTRY, Direction

pytestmark = [pytest.mark.airflow, pytest.mark.usefixtures("airflow_db", "fake_streams")]

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
PARSING_DAG_ID = "_AIRFLOW_PARSING_CONTEXT_DAG_ID"


def _dagbag() -> Any:
    return _dagbag_of(DAGS_DIR)


def _dagbag_of(path: Path) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(path))


def _tenant_dag_ids(bag: Any) -> list[str]:
    """The generated ``sync_<tenant>`` DAGs (dags/ also holds manual DAGs shared by every tenant)."""
    return sorted(dag_id for dag_id in bag.dag_ids if dag_id.startswith("sync_"))


def _two_good_one_broken(folder: Path) -> None:
    write_tenant_file(folder, tenant_yaml("north"))
    write_tenant_file(
        folder,
        tenant_yaml(
            "south",
            flow="shop_led",
            plan=100,
            streams=["fake_orders"],
            shops=[
                {
                    "id": "south",
                    "connection_id": "jetshop_south",
                    "channels": [{"channel_id": 1, "currency": "SEK"}],
                }
            ],
        ),
    )
    write_tenant_file(folder, tenant_yaml("west", timezone="Europe/Stokholm"))


def test_a_broken_tenant_is_an_import_error_while_the_others_load(tenants_folder: Path) -> None:
    _two_good_one_broken(tenants_folder)

    bag = _dagbag()

    assert _tenant_dag_ids(bag) == ["sync_north", "sync_south"]
    assert list(bag.import_errors) == [str(DAGS_DIR / "tenant_config_errors.py")]
    message = bag.import_errors[str(DAGS_DIR / "tenant_config_errors.py")]
    assert "tenant 'west'" in message
    assert "west.yaml" in message
    assert "field 'timezone'" in message
    assert "unknown IANA time zone 'Europe/Stokholm'" in message
    assert "north" not in message
    assert "south" not in message


def test_the_parse_to_db_sync_keeps_the_good_dags_schedulable(tenants_folder: Path) -> None:
    """What the dag-processor does per file: the error must not park the good DAGs (is_stale)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.models.dag import DagModel
    from airflow.models.errors import ParseImportError
    from airflow.utils.session import create_session
    from sqlalchemy import select

    _two_good_one_broken(tenants_folder)
    DagBundlesManager().sync_bundles_to_db()
    for dag_file in sorted(DAGS_DIR.glob("*.py")):
        bag = BundleDagBag(dag_folder=str(dag_file), bundle_path=DAGS_DIR, bundle_name="dags-folder")
        sync_bag_to_db(bag, "dags-folder", None)

    with create_session() as session:
        models = {
            m.dag_id: m
            for m in session.scalars(
                select(DagModel).where(DagModel.dag_id.in_(["sync_north", "sync_south"]))
            )
        }
        errors = {e.filename: e.stacktrace for e in session.scalars(select(ParseImportError))}
    assert sorted(models) == ["sync_north", "sync_south"]
    assert all(not m.is_stale and not m.has_import_errors for m in models.values())
    assert "tenant_sync.py" not in errors
    assert "field 'timezone'" in errors["tenant_config_errors.py"]


def test_each_tenant_file_is_read_once_per_parse_round(
    tenants_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both DAG files, each in its own parse process as the dag-processor runs them, share one reading."""
    from jetshop_hogia.config.cache import forget_open_caches

    _two_good_one_broken(tenants_folder)
    reads: list[str] = []
    real = loader_module._read_yaml
    monkeypatch.setattr(loader_module, "_read_yaml", lambda path: reads.append(path.name) or real(path))

    def parse_round() -> dict[str, Any]:
        outcome: dict[str, Any] = {}
        for dag_file in ("tenant_sync.py", "tenant_config_errors.py"):
            forget_open_caches()  # a fresh process per file: only the on-disk cache is shared
            bag = _dagbag_of(DAGS_DIR / dag_file)
            outcome[dag_file] = (sorted(bag.dag_ids), sorted(Path(f).name for f in bag.import_errors))
        return outcome

    first = parse_round()
    assert sorted(reads) == ["north.yaml", "south.yaml", "west.yaml"]
    reads.clear()
    second = parse_round()
    assert reads == []  # nothing changed: nothing read
    assert (
        first
        == second
        == {
            "tenant_sync.py": (["initial_sync_north", "initial_sync_south", "sync_north", "sync_south"], []),
            "tenant_config_errors.py": ([], ["tenant_config_errors.py"]),
        }
    )


def test_an_alias_bomb_costs_only_its_own_dag_and_is_rejected_fast(tenants_folder: Path) -> None:
    """Issue 8: a 1.2 KB "billion laughs" file made both DAG files time out, so every tenant vanished."""
    import time

    _two_good_one_broken(tenants_folder)
    lines = ["tenant_id: bomb", "flow: erp_led", "plan: 400", 'laugh0: &laugh0 ["lol"]']
    lines += [f"laugh{n}: &laugh{n} [{', '.join([f'*laugh{n - 1}'] * 10)}]" for n in range(1, 11)]
    lines.append("order_trigger_statuses: *laugh10")
    (tenants_folder / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert 1_000 < (tenants_folder / "bomb.yaml").stat().st_size < 1_400

    started = time.process_time()
    bag = _dagbag()
    elapsed = time.process_time() - started

    assert _tenant_dag_ids(bag) == ["sync_north", "sync_south"]
    assert list(bag.import_errors) == [str(DAGS_DIR / "tenant_config_errors.py")]
    message = bag.import_errors[str(DAGS_DIR / "tenant_config_errors.py")]
    assert "tenant 'bomb'" in message
    assert "anchors and aliases" in message
    assert "tenant 'west'" in message
    assert len(message) < 2_000
    assert elapsed < 5  # CPU seconds for two DAG files, Airflow's own work included; it used to time out


def test_the_demo_tenants_build_their_dags(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real ``orders`` stream once it exists, with a stand-in until then."""
    stand_in = None
    if "orders" not in REGISTRY.streams():
        stand_in = type(
            "OrdersStandIn",
            (FakeOrders,),
            {"name": "orders", "direction": Direction.JETSHOP_TO_HOGIA, "flows": frozenset(Flow)},
        )
        REGISTRY.register(stand_in)
    monkeypatch.delenv(TENANTS_DIR_ENV, raising=False)
    try:
        bag = _dagbag()
    finally:
        if stand_in is not None:
            REGISTRY.unregister("orders")

    assert bag.import_errors == {}
    assert _tenant_dag_ids(bag) == ["sync_alpha_shop_led", "sync_beta_erp_led", "sync_gamma_combo"]
    manual = {f"initial_sync_{tenant}" for tenant in ("alpha_shop_led", "beta_erp_led", "gamma_combo")}
    assert manual | {"replay_order", "redrive_quarantine"} <= set(bag.dag_ids)  # the manual DAGs
    assert set(bag.dags["sync_gamma_combo"].tags) == {"gamma_combo", "combo", "jetshop-hogia"}


@pytest.fixture
def parsing_context(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Pretend to be a task process of the given DAG (what the task runner sets before parsing)."""

    def set_dag_id(dag_id: str) -> None:
        monkeypatch.setenv(PARSING_DAG_ID, dag_id)

    return set_dag_id


def test_a_task_process_parses_only_its_own_tenant(
    tenants_folder: Path, parsing_context: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_good_one_broken(tenants_folder)
    opened: list[str] = []
    real = loader_module.load_tenant_file
    monkeypatch.setattr(
        loader_module, "load_tenant_file", lambda path, **kw: opened.append(path.name) or real(path, **kw)
    )

    parsing_context("sync_south")
    bag = _dagbag()

    assert bag.dag_ids == ["sync_south"]
    assert bag.import_errors == {}  # the broken tenant is not even read
    assert opened == ["south.yaml"]

    opened.clear()
    parsing_context("some_other_dag")
    assert _dagbag().dag_ids == []
    assert opened == []


def _xcoms(dag_id: str, run_id: str) -> dict[str, Any]:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(XComModel).where(XComModel.dag_id == dag_id, XComModel.run_id == run_id)
        )
        return {row.task_id: row.value for row in rows}


def _xcom_dict(raw: Any) -> dict[str, Any]:
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    assert isinstance(value, dict)
    return value


def test_a_run_writes_its_batches_under_its_own_dir_and_xcom_holds_small_dicts(
    tenants_folder: Path, run_storage: Path
) -> None:
    write_tenant_file(tenants_folder, tenant_yaml("east", streams=["fake_orders"]))
    dag = _dagbag().dags["sync_east"]

    run = dag.test(logical_date=pendulum.datetime(2026, 3, 29, 3, 0, tz="Europe/Stockholm"))

    assert run.state == "success"
    xcoms = {task_id: _xcom_dict(value) for task_id, value in _xcoms("sync_east", run.run_id).items()}
    assert sorted(xcoms) == [f"fake_orders.{s}" for s in ("fetch", "reconcile", "transform", "write")]
    for value in xcoms.values():
        assert len(json.dumps(value)) < MAX_XCOM_BYTES
    fetched_file = Path(xcoms["fake_orders.fetch"]["path"].removeprefix("file://"))
    assert fetched_file.is_relative_to(run_storage / "east")
    assert fetched_file.stat().st_size > MAX_XCOM_BYTES  # the batch travelled as a file
    batch = json.loads(fetched_file.read_text(encoding="utf-8"))
    assert batch["window"] == {"start": "2026-03-29T00:45:00+00:00", "end": "2026-03-29T01:00:00+00:00"}
    assert batch["window"] == {
        "start": run.data_interval_start.isoformat(),
        "end": run.data_interval_end.isoformat(),
    }
    assert xcoms["fake_orders.reconcile"]["matched"] == 300


def test_a_manual_run_without_logical_date_uses_the_window_params(
    tenants_folder: Path, run_storage: Path
) -> None:
    write_tenant_file(tenants_folder, tenant_yaml("east", streams=["fake_orders"]))
    dag = _dagbag().dags["sync_east"]

    run = dag.test(logical_date=None, run_conf={"window_start": "2026-10-25", "window_end": "2026-10-26"})

    assert run.state == "success"
    assert run.data_interval_start is None
    reconciled = _xcom_dict(_xcoms("sync_east", run.run_id)["fake_orders.reconcile"])
    assert reconciled["window"] == {"start": "2026-10-24T22:00:00+00:00", "end": "2026-10-25T23:00:00+00:00"}


def test_the_pools_command_creates_the_pools_through_the_airflow_cli(tenants_folder: Path) -> None:
    from airflow import settings
    from airflow.models.pool import Pool

    write_tenant_file(tenants_folder, tenant_yaml("north", pool_slots={"jetshop": 3, "hogia": 1}))
    settings.Session.remove()  # an earlier in-process DAG run may hold the SQLite metadata DB's lock

    done = subprocess.run(
        [sys.executable, "-m", "jetshop_hogia.orchestration.pools"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert Pool.get_pool("tenant_north_jetshop").slots == 3
    assert Pool.get_pool("tenant_north_hogia").slots == 1
