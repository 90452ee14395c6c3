"""The catalog_sync repository on SQLite and PostgreSQL: load, upsert of confirmed items, forget."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jetshop_hogia.state import StateStore
from jetshop_hogia.state.catalog_sync import CatalogSyncRepository, SyncedItem


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    if request.param == "sqlite":
        with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as sqlite_store:
            sqlite_store.migrate()
            yield sqlite_store
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"catalog_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        with StateStore(url.render_as_string(hide_password=False)) as pg_store:
            pg_store.migrate()
            yield pg_store
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _repo(store: StateStore, tx: object) -> CatalogSyncRepository:
    return CatalogSyncRepository(tx.connection, store.now)  # type: ignore[attr-defined]


def test_confirm_overwrites_per_item_and_scopes_stay_apart(store: StateStore) -> None:
    with store.transaction() as tx:
        repo = _repo(store, tx)
        repo.confirm("t1", "stock@combo", "gamma", {f"A{i}": SyncedItem(f"h{i}", i) for i in range(1200)})
        repo.confirm("t1", "stock@combo", "delta", {"A1": SyncedItem("other", 9)})
    with store.transaction() as tx:
        _repo(store, tx).confirm("t1", "stock@combo", "gamma", {"A1": SyncedItem("new", 50)})
    with store.transaction() as tx:
        gamma = _repo(store, tx).load("t1", "stock@combo", "gamma")
        delta = _repo(store, tx).load("t1", "stock@combo", "delta")
        other_flow = _repo(store, tx).load("t1", "stock@erp_led", "gamma")

    assert len(gamma) == 1200
    assert gamma["A1"] == SyncedItem("new", 50)
    assert gamma["A2"] == SyncedItem("h2", 2)
    assert delta == {"A1": SyncedItem("other", 9)}
    assert other_flow == {}


def test_forget_drops_only_the_named_items(store: StateStore) -> None:
    with store.transaction() as tx:
        _repo(store, tx).confirm("t2", "prices@combo", "gamma", {k: SyncedItem("h") for k in ("a", "b", "c")})
    with store.transaction() as tx:
        removed = _repo(store, tx).forget("t2", "prices@combo", "gamma", ["a", "c", "missing"])
    with store.transaction() as tx:
        left = _repo(store, tx).load("t2", "prices@combo", "gamma")

    assert removed == 2
    assert set(left) == {"b"}
