"""A dry run of a catalog stream changes neither simulator nor the state store, and lists exactly what the
real run that follows sends (same items, same payloads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import SimResources, add_hogia_articles, change_article, connect, make_run, run_stream
from snapshots import dry_run_stream, simulators, state_tables

from jetshop_hogia.kernel import REGISTRY
from jetshop_hogia.state import StateStore
from jetshop_hogia_simulators.hogia.testing import HogiaSimHandle
from jetshop_hogia_simulators.jetshop.testing import JetshopSimHandle

Sims = tuple[JetshopSimHandle, HogiaSimHandle]

CASES: dict[str, dict[str, Any]] = {
    "products_to_hogia": {"flow": "shop_led", "shops": ("alpha",), "company": 0, "history": False},
    "products_to_jetshop": {"flow": "erp_led", "shops": ("beta",), "company": 1},
    "stock": {
        "flow": "combo",
        "shops": ("gamma",),
        "company": 2,
        "change": ("7301", {"stockBalance": "12.5"}),
    },
}


@pytest.fixture
def sims(jetshop_sim: JetshopSimHandle, hogia_sim: HogiaSimHandle) -> Sims:
    hogia_sim.set_rate_limit(None)
    return jetshop_sim, hogia_sim


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


def _record_sends(monkeypatch: pytest.MonkeyPatch, name: str) -> list[dict[str, Any]]:
    """Every item the stream's ``send`` is given, as JSON (what the real write actually sends)."""
    cls = REGISTRY.get(name)
    original = cls.send
    sent: list[dict[str, Any]] = []

    def recording(self: Any, run: Any, scope: str, items: list[Any]) -> Any:
        sent.extend({"scope": scope, "item_id": i.key, "payload": i.payload} for i in items)
        return original(self, run, scope, items)

    monkeypatch.setattr(cls, "send", recording)
    return sent


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("name", sorted(CASES))
def test_dry_run_changes_nothing_and_lists_what_the_real_run_sends(
    name: str, monkeypatch: pytest.MonkeyPatch, sims: Sims, store: StateStore, tmp_path: Path
) -> None:
    jetshop_sim, hogia_sim = sims
    case = CASES[name]
    company = hogia_sim.companies[case["company"]]
    tenant = connect(
        monkeypatch, *sims, flow=case["flow"], streams=[name], shops=case["shops"], company=company
    )
    resources = SimResources(tenant, store)
    try:
        if case.get("history", True):  # products_to_hogia without: its first run sends the assortment
            run_stream(name, make_run(tenant, resources, tmp_path, run_id="earlier", hour=9))
        add_hogia_articles(hogia_sim, company, ["9100"])  # a create …
        change_article(hogia_sim, company, "9100", stockBalance="3")  # … and changes since
        number, fields = case.get("change", ("9100", {}))
        change_article(hogia_sim, company, number, **fields)
        before = (simulators(jetshop_sim, hogia_sim), state_tables(store))

        dry = make_run(tenant, resources, tmp_path, run_id="dry", params={"dry_run": True})
        results = dry_run_stream(name, dry)

        assert (simulators(jetshop_sim, hogia_sim), state_tables(store)) == before
        would_be = json.loads(Path(results["write"]["would_be"]).read_text(encoding="utf-8"))
        assert results["reconcile"]["status"] == "dry_run"
        diff = json.loads(Path(results["write"]["diff"]).read_text(encoding="utf-8"))
        assert [line["item_id"] for line in diff] == [line["item_id"] for line in would_be]

        sent = _record_sends(monkeypatch, name)
        run_stream(name, make_run(tenant, resources, tmp_path, run_id="real"))
        assert state_tables(store) != before[1]  # the snapshot sees what a real run records
    finally:
        resources.close()
    listed = sorted(((w["scope"], w["item_id"], w["payload"]) for w in would_be), key=repr)
    actual = sorted(((s["scope"], s["item_id"], s["payload"]) for s in _as_json(sent)), key=repr)
    assert listed == actual
    assert actual  # not vacuous: the real run sent something
    assert sum(results["write"]["counts"].values()) == len(would_be)
