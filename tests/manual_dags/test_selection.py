"""The pure parts of replay and re-drive, on a SQLite state store: which entries a re-drive selects,
where the Jetshop id comes from, and the permanent errors of a replay that names nothing re-sendable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jetshop_hogia.errors import SetupError
from jetshop_hogia.operations.redrive import jetshop_ids, select_entries
from jetshop_hogia.operations.replay import ReplayRequestError, jetshop_order_id
from jetshop_hogia.state import ORDERS_STREAM, OrderKey, StateStore

TENANT = "acme"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore(f"sqlite:///{tmp_path / 'state.db'}") as state_store:
        state_store.migrate()
        yield state_store


def _quarantine(store: StateStore, number: str, code: str, order_id: int | None) -> None:
    key = OrderKey(TENANT, "main", number)
    with store.transaction() as tx:
        tx.ledger.record_seen(key, run_id="r1", jetshop_order_id=order_id)
        tx.ledger.quarantine(key, code, f"{code} on row 1", run_id="r1", payload={"codes": [code]})


def test_redrive_selects_by_reason_or_by_order_number(store: StateStore) -> None:
    _quarantine(store, "100", "unknown_article", 9100)
    _quarantine(store, "101", "invalid_email", 9101)
    _quarantine(store, "102", "unknown_article", 9102)

    everything = select_entries(store, TENANT)
    by_reason = select_entries(store, TENANT, reason="unknown_article")
    by_number = select_entries(store, TENANT, order_numbers=[" 101 ", "999"])

    assert sorted(e.record_key for e in everything) == ["100", "101", "102"]
    assert sorted(e.record_key for e in by_reason) == ["100", "102"]
    assert [e.record_key for e in by_number] == ["101"]
    assert jetshop_ids(store, TENANT, by_reason) == {"main": {9100: "100", 9102: "102"}}


def test_an_entry_without_a_readable_number_is_left_to_a_replay_with_its_id(store: StateStore) -> None:
    with store.transaction() as tx:
        tx.quarantine.put(TENANT, ORDERS_STREAM, "id 77", "unreadable_record", "no answer", shop_id="main")
    _quarantine(store, "200", "unknown_article", None)  # no Jetshop id known either

    entries = select_entries(store, TENANT)

    assert len(entries) == 2
    assert jetshop_ids(store, TENANT, entries) == {}


def test_replay_needs_the_jetshop_id_of_an_order_no_run_has_seen(store: StateStore) -> None:
    _quarantine(store, "300", "unknown_article", 9300)
    unseen = OrderKey(TENANT, "main", "301")

    assert jetshop_order_id(store, OrderKey(TENANT, "main", "300")) == 9300
    assert jetshop_order_id(store, unseen, 9301) == 9301
    with pytest.raises(ReplayRequestError, match="not in the ledger"):
        jetshop_order_id(store, unseen)
    with pytest.raises(ReplayRequestError, match="9300"):
        jetshop_order_id(store, OrderKey(TENANT, "main", "300"), 1)
    assert issubclass(ReplayRequestError, SetupError)  # listed as permanent by the DAGs' retry policy


def test_catalog_redrive_selects_catalog_entries_by_reason_or_key_and_an_article_selects_its_price_rows(
    store: StateStore,
) -> None:
    from jetshop_hogia.operations.redrive_catalog import select_catalog_entries

    row = "1001-2@bdd640fb-0667-4ad1-9c80-317fa3b1799d"
    with store.transaction() as tx:
        tx.quarantine.put(TENANT, "products_to_hogia", "1001-2", "no_vat", "no VAT rate", shop_id="*")
        tx.quarantine.put(TENANT, "prices", row, "ore_price", "249.50", shop_id="main")
        tx.quarantine.put(TENANT, "stock", "1001-3", "refused", "refused", shop_id="main")
    _quarantine(store, "1001-2", "unknown_article", 9400)  # an order: not a catalog entry

    everything = select_catalog_entries(store, TENANT)
    by_reason = select_catalog_entries(store, TENANT, reason="ore_price")
    by_article = select_catalog_entries(store, TENANT, item_keys=["1001-2"])

    assert sorted((e.stream, e.record_key) for e in everything) == [
        ("prices", row),
        ("products_to_hogia", "1001-2"),
        ("stock", "1001-3"),
    ]
    assert [e.record_key for e in by_reason] == [row]
    assert sorted(e.stream for e in by_article) == ["prices", "products_to_hogia"]
