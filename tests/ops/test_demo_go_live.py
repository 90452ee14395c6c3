"""``make demo-scenario ARGS="go-live-assortment"``: an assortment from before go-live, for the initial sync.

Runs the scenario command against the simulators after a first scheduled product run (as in the demo,
where ``sync_alpha_shop_led`` has synced the seeded catalog by then), then the scheduled stream again and
the initial sync the way ``initial_sync_alpha_shop_led`` runs it: the old-dated products are left out by
the stream, the dry run reports them as to-be-created and the one renamed article as conflicting, and
writes nothing; the real run copies them; a second real run creates nothing. The report's log lines are
checked against what the command promised.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalog"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "initial_sync"))

from catalog_helpers import SimResources, connect, make_run, run_stream
from sync_helpers import hogia_numbers, options, sync, sync_run

from jetshop_hogia.apimodel.hogia_smart import Article
from jetshop_hogia.config import TenantConfig, load_tenants
from jetshop_hogia.initial_sync.options import ConflictPolicy, SyncDirection
from jetshop_hogia.initial_sync.report import report_lines
from jetshop_hogia.kernel import RunWindow
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.demo import go_live, scenarios
from jetshop_hogia_simulators.hogia.testing import DemoCompany, HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

REPO = Path(__file__).resolve().parents[2]
Sims = tuple[JetshopSimHandle, HogiaSimHandle]
Alpha = tuple[TenantConfig, SimResources]
TO_HOGIA = SyncDirection.JETSHOP_TO_HOGIA
SEEDED_SELLABLE = 17
"""The seeded catalog's articles in shop alpha (9 plain products, 8 variants): they match already."""


def _alpha_tenant() -> TenantConfig:
    loaded = load_tenants(REPO / "include" / "tenants", only=go_live.TENANT)
    assert loaded.errors == []
    (tenant,) = loaded.tenants
    return tenant


def _alpha_company(hogia_sim: HogiaSimHandle) -> DemoCompany:
    return next(c for c in hogia_sim.companies if c.client_id == go_live.HOGIA_CLIENT)


def _hogia_article(hogia_sim: HogiaSimHandle, number: str) -> Article | None:
    register = hogia_sim.simulator.state.company(_alpha_company(hogia_sim).organisation_id)
    assert register is not None
    return register.article_by_number(number)


def _hogia_name(hogia_sim: HogiaSimHandle, number: str) -> str | None:
    article = _hogia_article(hogia_sim, number)
    return None if article is None else article.name


def test_the_scenario_matches_the_demo_tenant_file(sims: Sims) -> None:
    """Shop, Hogia company, flow, culture and currency are Alpha's: the products land where it says."""
    jetshop_sim, _ = sims
    tenant = _alpha_tenant()
    assert [shop.id for shop in tenant.shops] == [go_live.SHOP]
    assert tenant.hogia.connection_id == f"hogia_{go_live.HOGIA_CLIENT}"
    assert tenant.flow.value == "shop_led"  # products go Jetshop → Hogia
    assert "products_to_hogia" in tenant.streams
    assert tenant.catalog.name_culture == go_live.CULTURE
    assert tenant.catalog.send_to_web_shop is False  # as the conflicting Hogia article has it
    (channel,) = tenant.shops[0].channels
    assert channel.currency == go_live.CURRENCY
    assert str(channel.price_list) == jetshop_sim.simulator.state.shops["alpha"].default_price_list


def test_the_article_numbers_clash_with_nothing_the_demo_has(sims: Sims) -> None:
    jetshop_sim, hogia_sim = sims
    numbers = set(go_live.articles()) | {item.number for item in go_live.ASSORTMENT}
    assert len(go_live.articles()) == 14
    assert len(go_live.ASSORTMENT) == 12
    for shop in jetshop_sim.simulator.state.shops.values():
        assert numbers.isdisjoint(shop.products)
    for company in hogia_sim.companies:
        assert set(hogia_numbers(hogia_sim, company)).isdisjoint(numbers)


@pytest.fixture
def alpha(monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore) -> Iterator[Alpha]:
    """The demo's alpha_shop_led tenant file, its connections (jetshop_alpha, hogia_alpha) on the
    simulators, and the scenario command pointed at them."""
    jetshop_sim, hogia_sim = sims
    connect(
        monkeypatch,
        *sims,
        flow="shop_led",
        streams=["products_to_hogia"],
        shops=("alpha",),
        company=_alpha_company(hogia_sim),
        tenant_id="alpha",  # sets AIRFLOW_CONN_JETSHOP_ALPHA and AIRFLOW_CONN_HOGIA_ALPHA
    )
    urls = scenarios.Urls(jetshop=jetshop_sim.url, hogia=hogia_sim.url)
    monkeypatch.setattr(scenarios, "Urls", lambda: urls)
    tenant = _alpha_tenant()
    resources = SimResources(tenant, store)
    yield tenant, resources
    resources.close()


def _scheduled_run(
    tenant: TenantConfig, resources: SimResources, jetshop_sim: JetshopSimHandle, tmp_path: Path, run_id: str
) -> dict[str, dict[str, Any]]:
    """``products_to_hogia`` over the 5 minutes ending now (sync_alpha_shop_led's schedule)."""
    end = jetshop_sim.simulator.now() + timedelta(minutes=1)
    window = RunWindow(end - timedelta(minutes=5), end)
    run = make_run(tenant, resources, tmp_path, run_id=run_id, run_window=window)
    steps: dict[str, dict[str, Any]] = run_stream("products_to_hogia", run)
    return steps


def _matches(promised: str, lines: list[str]) -> bool:
    """A printed line ("…" for what depends on the demo) equals one of the report's log lines."""
    pattern = re.escape(promised.strip()).replace("…", ".*")
    return any(re.fullmatch(pattern, line.strip()) for line in lines)


def test_go_live_assortment_is_left_to_the_initial_sync_which_previews_then_copies_it(
    alpha: Alpha, sims: Sims, store: StateStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant, resources = alpha
    jetshop_sim, hogia_sim = sims
    first = _scheduled_run(tenant, resources, jetshop_sim, tmp_path, "scheduled__first")
    assert first["fetch"]["everything"] is True  # the demo's first run reads the whole shop

    assert scenarios.main(["go-live-assortment"]) == 0
    printed = capsys.readouterr().out
    shop = jetshop_sim.simulator.state.shops["alpha"]
    assert shop.products["GL110"].has_attributes  # a parent: its variants are the articles
    assert not any(shop.products[n].has_attributes for n in go_live.articles())
    assert shop.products["GL110-40cm"].texts["sv-SE"].name == "Krukfat Terrakotta 40 cm"
    assert all(
        shop.products[n].modified < jetshop_sim.simulator.now() - timedelta(days=13)
        for n in go_live.articles()
    )
    assert _hogia_name(hogia_sim, "GL111") == go_live.HOGIA_NAME
    for told in (
        "GL100",
        "GL110 has 3 variants",
        "initial_sync_alpha_shop_led",
        "created 13",
        "conflicting 1",
    ):
        assert told in printed
    assert 'make airflow ARGS="dags trigger initial_sync_alpha_shop_led"' in printed

    # the next scheduled run reads only what changed since its window: the old assortment is not sent
    second = _scheduled_run(tenant, resources, jetshop_sim, tmp_path, "scheduled__second")
    assert second["fetch"]["everything"] is False
    assert second["write"]["scopes"]["*"]["sent"] == 0
    assert all(_hogia_article(hogia_sim, n) is None for n in go_live.new_articles())
    assert _hogia_name(hogia_sim, "GL111") == go_live.HOGIA_NAME
    before = sorted(hogia_numbers(hogia_sim, _alpha_company(hogia_sim)))

    # preview: what the report log says is what the command printed; nothing is written in Hogia
    dry = sync_run(tenant, resources, tmp_path, "manual__dry")
    _, counts = sync(dry, options(TO_HOGIA, dry_run=True))
    expected = {"matched": SEEDED_SELLABLE, "created": 13, "updated": 0, "conflicting": 1, "skipped": 0}
    assert counts == {"planned": SEEDED_SELLABLE + 14, **expected, "failed": 0, "dry_run": True}
    lines = report_lines(dry.read_json("initial_sync/dry_run/report.json"))
    promised = printed.split("report → Logs:\n", 1)[1].split('\n     ("created"', 1)[0].splitlines()
    assert len(promised) == 5
    assert [line for line in promised if not _matches(line, lines)] == []
    assert sorted(hogia_numbers(hogia_sim, _alpha_company(hogia_sim))) == before
    assert _hogia_name(hogia_sim, "GL111") == go_live.HOGIA_NAME

    # the real run, conflict overwritten: every article is in Hogia, GL111 has the shop's name
    _, counts = sync(
        sync_run(tenant, resources, tmp_path, "manual__go"),
        options(TO_HOGIA, policy=ConflictPolicy.OVERWRITE),
    )
    assert (counts["created"], counts["updated"], counts["conflicting"], counts["failed"]) == (13, 1, 0, 0)
    for number in go_live.new_articles():
        article = _hogia_article(hogia_sim, number)
        assert article is not None
        assert (article.send_to_web_shop, article.vat_code) == (False, "MP1")
    variant = _hogia_article(hogia_sim, "GL110-40cm")
    assert variant is not None
    assert variant.name == "Krukfat Terrakotta 40 cm"
    assert variant.price_in("SEK") == Decimal("95.20")  # 79 + 2 × 20 = 119 kr incl. 25 % VAT
    assert _hogia_name(hogia_sim, "GL111") == "Trädgårdsbänk Ek"

    # triggered again: nothing is created twice, everything matches
    _, again = sync(
        sync_run(tenant, resources, tmp_path, "manual__again"),
        options(TO_HOGIA, policy=ConflictPolicy.OVERWRITE),
    )
    assert (again["created"], again["updated"], again["matched"]) == (0, 0, SEEDED_SELLABLE + 14)
    numbers = hogia_numbers(hogia_sim, _alpha_company(hogia_sim))
    assert len(numbers) == len(set(numbers))


def test_a_second_go_live_assortment_is_refused_and_writes_nothing(
    alpha: Alpha, sims: Sims, capsys: pytest.CaptureFixture[str]
) -> None:
    jetshop_sim, hogia_sim = sims
    assert scenarios.main(["go-live-assortment"]) == 0
    capsys.readouterr()
    products = len(jetshop_sim.simulator.state.shops["alpha"].products)
    articles = len(hogia_numbers(hogia_sim, _alpha_company(hogia_sim)))

    assert scenarios.main(["go-live-assortment"]) == 1
    told = capsys.readouterr()
    assert told.out == ""
    assert "Nothing done: shop alpha already has article GL100" in told.err
    assert "initial_sync_alpha_shop_led" in told.err  # the next steps still apply
    assert len(jetshop_sim.simulator.state.shops["alpha"].products) == products
    assert len(hogia_numbers(hogia_sim, _alpha_company(hogia_sim))) == articles


def test_the_shop_refuses_a_product_it_has(sims: Sims) -> None:
    """The admin endpoint never overwrites: a product (or one of its variants) that exists is a 409."""
    jetshop_sim, _ = sims
    body = {"article_number": "2201", "names": {"sv-SE": "Ny Monstera"}, "price_inc_vat": "10"}
    answer = jetshop_sim.http.post(f"{jetshop_sim.url}/_admin/products/alpha", json=body, timeout=10)
    assert answer.status_code == 409
    body = {**body, "article_number": "GL999", "names": {"de-DE": "Monstera"}}
    assert (
        jetshop_sim.http.post(f"{jetshop_sim.url}/_admin/products/alpha", json=body, timeout=10).status_code
        == 422
    )


def test_the_printed_cli_keeps_its_quotes_through_make() -> None:
    """The command line printed for the real run reaches ``airflow`` as one valid JSON ``--conf``."""
    make_argv = shlex.split(go_live.overwrite_cli())  # as the user's shell splits it
    assert make_argv[:2] == ["make", "airflow"]
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", *make_argv[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    recipe = shlex.split(dry.stdout.strip().splitlines()[-1])  # what make's shell runs
    assert recipe[recipe.index("airflow") + 1 : recipe.index("--conf")] == [
        "dags",
        "trigger",
        "initial_sync_alpha_shop_led",
    ]
    assert json.loads(recipe[-1]) == {"dry_run": False, "conflict_policy": "overwrite"}
