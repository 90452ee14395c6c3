"""The shared intake mechanism (``jetshop_hogia.streams.intake``) on its own: sorting, retry budget, books."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from jetshop_hogia.errors import AuthenticationError, PermanentError, TransientError
from jetshop_hogia.state import StateStore
from jetshop_hogia.streams.intake import (
    UNREADABLE_ANSWER,
    BatchTally,
    Problem,
    Rejection,
    Unreadable,
    find_duplicate_keys,
    forget_attempts,
    pending_ids,
    read_batch,
    settle_unreadable,
)


def _classify(record_id: int, exc: Exception) -> Problem:
    if isinstance(exc, AuthenticationError):
        raise exc
    if isinstance(exc, ValueError):
        return Rejection(str(record_id), None, "unreadable_record", field="Quantity", value="'abc'")
    return Unreadable(
        str(record_id), None, "Get", type(exc).__name__, transient=isinstance(exc, TransientError)
    )


def test_one_bad_record_never_stops_the_batch() -> None:
    def read(record_id: int) -> str | None:
        if record_id == 2:
            raise ValueError("quantity abc")
        if record_id == 3:
            raise PermanentError("html", operation="Get")
        return None if record_id == 4 else f"record {record_id}"

    batch = read_batch([1, 2, 3, 4, 5], read, _classify)
    assert batch.read == [(1, "record 1"), (5, "record 5")]
    assert [r.record_id for r in batch.rejected] == ["2"]
    assert [u.record_id for u in batch.unreadable] == ["3"]
    assert batch.gone == [4]


def test_an_error_that_is_not_about_one_record_stops_the_batch() -> None:
    def read(record_id: int) -> str:
        raise AuthenticationError("401", operation="Get")

    with pytest.raises(AuthenticationError):
        read_batch([1, 2], read, _classify)


def test_a_source_that_is_down_for_every_record_fails_the_batch_instead_of_deferring_all() -> None:
    def read(record_id: int) -> str:
        raise TransientError("timeout", operation="Get")

    with pytest.raises(TransientError):
        read_batch([1, 2, 3], read, _classify)


def test_one_transient_failure_among_good_reads_is_deferred() -> None:
    def read(record_id: int) -> str:
        if record_id == 2:
            raise TransientError("timeout", operation="Get")
        return "ok"

    batch = read_batch([1, 2, 3], read, _classify)
    assert [u.record_id for u in batch.unreadable] == ["2"]
    assert batch.unreadable[0].transient


def test_duplicate_keys_keep_every_record_that_claims_the_key() -> None:
    records = [("A1", 1), ("A2", 2), ("A1", 3), ("A1", 4)]
    assert find_duplicate_keys(records, key=lambda r: r[0]) == {"A1": [("A1", 1), ("A1", 3), ("A1", 4)]}


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    made = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    made.migrate()
    return made


def test_unreadable_answers_are_counted_once_per_run_and_quarantined_after_the_budget(
    store: StateStore,
) -> None:
    item = Unreadable("77", "A100077", "Order_Get", "JetshopResponseError/MalformedSoapError")
    budget = 3
    for run in ("run-1", "run-1", "run-2"):  # a task retry of run-1 does not use up the budget
        deferred, exhausted = settle_unreadable(
            store, "t", "orders", "alpha", [item], run_id=run, max_runs=budget
        )
        assert (deferred, exhausted) == ([item], [])
    assert pending_ids(store, "t", "orders", "alpha") == {"77": "A100077"}
    assert pending_ids(store, "t", "orders", "beta") == {}
    deferred, exhausted = settle_unreadable(
        store, "t", "orders", "alpha", [item], run_id="run-3", max_runs=budget
    )
    assert deferred == []
    assert [(r.record_id, r.label, r.reason_code) for r in exhausted] == [
        ("77", "A100077", UNREADABLE_ANSWER)
    ]
    assert "3 runs" in exhausted[0].detail
    assert pending_ids(store, "t", "orders", "alpha") == {}


def test_a_record_read_at_last_is_forgotten(store: StateStore) -> None:
    item = Unreadable("5", None, "Order_Get", "ResponseTooLargeError")
    settle_unreadable(store, "t", "orders", "alpha", [item], run_id="r1")
    forget_attempts(store, "t", "orders", "alpha", ["5", "6"])
    assert pending_ids(store, "t", "orders", "alpha") == {}


def test_the_books_balance_and_name_what_was_quarantined(caplog: pytest.LogCaptureFixture) -> None:
    bad = Rejection(
        "12", "A12", "unreadable_record", field="Quantity", value="'abc'", detail="not a valid decimal"
    )
    later = Unreadable("13", "A13", "Order_Get", "JetshopResponseError")
    tally = BatchTally(
        "orders", "shop alpha", received=5, written=2, ignored=1, quarantined=[bad], deferred=[later]
    )
    with caplog.at_level(logging.INFO):
        tally.log()
    line = caplog.records[-1].getMessage()
    assert line.startswith("orders shop alpha: 5 in = 2 written + 1 quarantined + 1 ignored + 1 deferred")
    assert "A12 (id 12): unreadable_record: Quantity = 'abc'; not a valid decimal" in line
    assert "A13 (id 13)" in line


def test_books_that_do_not_balance_are_a_bug_not_a_log_line() -> None:
    with pytest.raises(AssertionError, match="do not balance"):
        BatchTally("orders", "shop alpha", received=3, written=1).log()
