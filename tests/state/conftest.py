"""Fixtures of the state store tests: a migrated database per backend, a controllable clock, tenants.

Every test that uses ``store`` runs on SQLite and on PostgreSQL. PostgreSQL tests may run in parallel
(pytest-xdist) against the one shared ``test`` database, so each worker session gets its own schema
(chosen through ``search_path`` in the URL) and drops only that schema at the end; inside it, tests
isolate themselves with a fresh tenant id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from state_store_builders import FakeClock

from jetshop_hogia.state import OrderKey, StateStore


def _schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_schema_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Makes empty PostgreSQL schemas (URL with that search_path) and drops them at session end."""
    base_url = request.getfixturevalue("postgres_url")
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    created: list[str] = []

    def make() -> str:
        schema = f"state_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        created.append(schema)
        return _schema_url(base_url, schema)

    yield make
    with admin.connect() as connection:
        for schema in created:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database on the backend given by indirect parametrisation (SQLite if none)."""
    backend = request.param if hasattr(request, "param") else "sqlite"
    if backend == "postgres":
        return str(request.getfixturevalue("pg_schema_factory")())
    return f"sqlite:///{tmp_path / 'state.db'}"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database shared by the session's tests on one backend (tests use own tenants)."""
    if request.param == "postgres":
        url = str(request.getfixturevalue("pg_schema_factory")())
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('state') / 'state.db'}"
    store = StateStore(url)
    store.migrate()
    store.dispose()
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(migrated_url: str, clock: FakeClock) -> Iterator[StateStore]:
    """A store on the shared migrated database, with the test's fake clock."""
    with StateStore(migrated_url, clock=clock) as state_store:
        yield state_store


@pytest.fixture
def tenant() -> str:
    """A tenant id no other test uses (isolation inside a shared database)."""
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def key(tenant: str) -> OrderKey:
    return OrderKey(tenant, "shop-se", "100001")
