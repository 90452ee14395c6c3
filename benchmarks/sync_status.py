"""The Sync status page with 1,000 tenants: how long one page takes, against one trivial query.

Set-up: 1,000 tenant files (the demo tenant with its id replaced) and a state store holding, per tenant,
60 ledger orders (most pushed, a few in each backlog state), 2 open quarantine entries and a week of
hourly reconciliation results (168 per tenant, one in ten failed) — 230 000 rows. PostgreSQL when it is
reachable (its own schema, dropped afterwards), SQLite otherwise; the notes say which.

Figures (milliseconds per page, median of repeated calls, warm tenant cache as in a running api-server):

- ``sync status overview page``: page 11 of 20 (50 tenants): ``overview_page`` (the four indexed
  queries) plus rendering the HTML the api-server sends;
- ``sync status tenant page``: one tenant's 14 days of reconciliation, open quarantine, health, HTML.

Baseline, same run, same engine: one ``SELECT 1`` (connection checkout and a round trip). The ratio is
value / baseline — what one page costs in trivial queries, lower is better (no target: the harness flags
ratios *below* a target). The cold parse of the 1,000 tenant files (once per api-server process; later
only changed files are parsed again) is in the notes.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from jetshop_hogia.state import StateStore
from jetshop_hogia.state.models import order_ledger, quarantine, reconciliation_results

TENANTS = 1_000
PER_PAGE = 50
POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
REPO = Path(__file__).resolve().parents[1]
DEMO_TENANT = REPO / "include" / "tenants" / "alpha_shop_led.yaml"
BACKLOG = ["seen", "eligible", "pushing", "quarantined"]


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def _database(workdir: Path) -> Iterator[tuple[str, str]]:
    """(URL, backend name): a fresh PostgreSQL schema, or a SQLite file."""
    if not _postgres_up():
        yield f"sqlite:///{workdir / 'state.db'}", "SQLite"
        return
    schema = f"bench_status_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False), "PostgreSQL"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _tenant_files(folder: Path) -> list[str]:
    template = DEMO_TENANT.read_text(encoding="utf-8")
    ids = [f"t{number:04d}" for number in range(TENANTS)]
    for tenant_id in ids:
        (folder / f"{tenant_id}.yaml").write_text(
            template.replace("tenant_id: alpha_shop_led", f"tenant_id: {tenant_id}"), encoding="utf-8"
        )
    return ids


def _ledger_rows(tenant_id: str, now: datetime) -> list[dict[str, Any]]:
    rows = []
    for number in range(60):
        state = BACKLOG[number % 4] if number < 8 else "pushed"
        rows.append(
            {
                "tenant_id": tenant_id,
                "shop_id": "alpha",
                "order_number": str(number),
                "state": state,
                "attempts": 1,
                "idempotency_key": uuid.uuid4().hex,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _results(tenant_id: str, now: datetime) -> list[dict[str, Any]]:
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=7)
    rows = []
    for hour in range(168):
        window_start = start + timedelta(hours=hour)
        rows.append(
            {
                "tenant_id": tenant_id,
                "stream": "orders",
                "scope": "*",
                "window_start": window_start,
                "window_end": window_start + timedelta(hours=1),
                "status": "failed" if hour % 10 == 0 else "ok",
                "expected": 5,
                "matched": 4 if hour % 10 == 0 else 5,
                "missing": 1 if hour % 10 == 0 else 0,
                "duplicates": 0,
                "mismatched": 0,
                "quarantined": 0,
                "details": {"amounts": {"SEK": {"expected": "500.00", "invoiced": "500.00"}}},
                "created_at": window_start + timedelta(hours=1),
            }
        )
    return rows


def _seed(store: StateStore, ids: list[str]) -> None:
    now = datetime.now(UTC)
    for chunk in range(0, len(ids), 100):
        ledger, held, results = [], [], []
        for tenant_id in ids[chunk : chunk + 100]:
            ledger += _ledger_rows(tenant_id, now)
            results += _results(tenant_id, now)
            held += [
                {
                    "tenant_id": tenant_id,
                    "stream": "orders",
                    "shop_id": "alpha",
                    "record_key": str(number),
                    "reason_code": "unknown_article",
                    "reason_text": "article missing in Hogia",
                    "occurrences": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for number in (3, 7)
            ]
        with store.engine.begin() as connection:
            connection.execute(insert(order_ledger), ledger)
            connection.execute(insert(quarantine), held)
            connection.execute(insert(reconciliation_results), results)
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def _median_ms(work: Callable[[], Any], duration_s: float) -> float:
    work()  # warm-up
    samples: list[float] = []
    ends = time.perf_counter() + duration_s
    while len(samples) < 5 or time.perf_counter() < ends:
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(duration_s: float = 5.0) -> list[dict[str, Any]]:
    """Overview and tenant page times with 1,000 tenants, each against one ``SELECT 1``."""
    from jetshop_hogia.operations.quarantine import list_open
    from jetshop_hogia.status import TenantCatalog, overview_page, recent_days, summary_of, tenant_health
    from jetshop_hogia_ui import views
    from jetshop_hogia_ui.rendering import render

    workdir = Path(tempfile.mkdtemp(prefix="bench-status-"))
    try:
        folder = workdir / "tenants"
        folder.mkdir()
        ids = _tenant_files(folder)
        with _database(workdir) as (url, backend), StateStore(url) as store:
            store.migrate()
            seeding = time.perf_counter()
            _seed(store, ids)
            seeded_s = time.perf_counter() - seeding
            catalog = TenantCatalog(folder)
            cold = time.perf_counter()
            snapshot = catalog.snapshot()
            cold_s = time.perf_counter() - cold
            assert len(snapshot.tenants) == TENANTS, snapshot.errors[:3]

            def overview() -> str:
                found = overview_page(store, catalog.snapshot(), page=11, per_page=PER_PAGE)
                now = datetime.now(UTC)
                rows = [(item, views.health_class(item, now)) for item in found.items]
                return render(
                    "overview.html",
                    app_root="/sync-status",
                    user_name="bench",
                    found=found,
                    rows=rows,
                    q="",
                    flow="",
                    flows=[],
                    broken=(),
                )

            def tenant_page() -> str:
                tenant = catalog.snapshot().by_id("t0500")
                assert tenant is not None
                now = datetime.now(UTC)
                summary = summary_of(tenant, tenant_health(store, ["t0500"])["t0500"])
                days = recent_days(store, "t0500", tenant.timezone, now)
                currency = views.main_currency(days)
                return render(
                    "tenant.html",
                    app_root="/sync-status",
                    user_name="bench",
                    tenant=tenant,
                    summary=summary,
                    health=views.health_class(summary, now),
                    entries=list_open(store, "t0500"),
                    entries_total=2,
                    may_release=True,
                    days=days,
                    counts_chart=views.counts_chart(days),
                    amounts_chart=views.amounts_chart(days, currency) if currency else None,
                    released=None,
                )

            def trivial() -> None:
                with store.engine.connect() as connection:
                    connection.execute(text("SELECT 1")).scalar_one()

            assert "t0500" in overview()
            assert "chart-orders" in tenant_page()
            baseline = _median_ms(trivial, max(duration_s / 2, 0.5))
            results = []
            for name, work in (("overview page", overview), ("tenant page", tenant_page)):
                value = _median_ms(work, duration_s)
                results.append(
                    {
                        "name": f"sync status {name}",
                        "value": value,
                        "unit": "ms/page (lower is better)",
                        "baseline": baseline,
                        "ratio": value / baseline,
                        "notes": f"{TENANTS} tenants on {backend}, {PER_PAGE}/page; baseline = one SELECT 1, "
                        "ratio = page / baseline (lower is better); "
                        f"cold load of {TENANTS} tenant files {cold_s:.1f} s; seeding {seeded_s:.0f} s",
                    }
                )
            return results
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    for figure in run():
        print(figure)
