"""Hostile or careless tenant files cost only their own tenant, and are refused in well under a second.

One tenant file is read by every DAG parse of the whole deployment; a file that expands (YAML aliases),
nests, or carries thousands of bad values must not slow the parse down for everyone, nor produce an
import error of megabytes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tenant_files import tenant_dict, write_tenant

from jetshop_hogia.config import TenantConfigError, load_tenant_file, load_tenants
from jetshop_hogia.config.errors import MAX_PROBLEMS
from jetshop_hogia.config.loader import MAX_DEPTH, MAX_FILE_BYTES

NOT_EXPANDED = 5.0
"""CPU seconds. Not a speed target (speed is measured by ``make bench``, never here): a guard that a
hostile file was refused instead of expanded. A refused file costs milliseconds; an expanded alias bomb or
a quadratic error report costs minutes. A tight bound (0.5 s) failed on a loaded CI machine."""


def alias_bomb(tenant_id: str = "bomb", levels: int = 10, width: int = 10) -> str:
    """The "billion laughs" tenant file: ~1.2 KB that expands to width**levels (10^10) strings."""
    lines = [f"tenant_id: {tenant_id}", "flow: erp_led", "plan: 200", 'laugh0: &laugh0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*laugh{level - 1}"] * width)
        lines.append(f"laugh{level}: &laugh{level} [{refs}]")
    lines.append(f"order_trigger_statuses: *laugh{levels}")
    return "\n".join(lines) + "\n"


def _refused(path: Path) -> tuple[TenantConfigError, float]:
    started = time.process_time()
    with pytest.raises(TenantConfigError) as raised:
        load_tenant_file(path)
    return raised.value, time.process_time() - started


def test_an_alias_bomb_beside_good_tenants_costs_only_itself(tmp_path: Path) -> None:
    write_tenant(tmp_path, tenant_dict(tenant_id="alpha"))
    bomb = write_tenant(tmp_path, alias_bomb(), name="bomb")
    write_tenant(tmp_path, tenant_dict(tenant_id="gamma"))
    assert 1_000 < bomb.stat().st_size < 1_400

    started = time.process_time()
    loaded = load_tenants(tmp_path)
    elapsed = time.process_time() - started

    assert [t.tenant_id for t in loaded.tenants] == ["alpha", "gamma"]
    [error] = loaded.errors
    assert error.tenant == "bomb"
    assert [p.field for p in error.problems] == ["<yaml>"]
    assert "anchors and aliases" in str(error)
    assert "line 4" in str(error)
    assert len(str(error)) < 500
    assert elapsed < NOT_EXPANDED


def test_a_single_anchor_is_refused_too(tmp_path: Path) -> None:
    path = write_tenant(tmp_path, "tenant_id: &id acme\nflow: erp_led\n", name="acme")
    error, _ = _refused(path)
    assert "anchors and aliases" in str(error)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000])
def test_deep_nesting_is_refused_before_anything_recurses(tmp_path: Path, depth: int) -> None:
    """5,000 levels would exhaust Python's recursion limit in a composer or in pydantic."""
    path = write_tenant(tmp_path, "tenant_id: deep\nshops: " + "[" * depth + "]" * depth + "\n", name="deep")
    error, elapsed = _refused(path)
    assert [p.field for p in error.problems] == ["<yaml>"]
    assert "nest" in str(error)  # ours: "nested deeper than 12 levels"; libyaml's: "maximum nesting depth"
    assert elapsed < NOT_EXPANDED


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = write_tenant(tmp_path, "name: " + "x" * MAX_FILE_BYTES + "\n", name="huge")
    error, elapsed = _refused(path)
    assert f"larger than {MAX_FILE_BYTES} bytes" in str(error)
    assert elapsed < NOT_EXPANDED


def test_thousands_of_bad_values_make_a_short_message_quickly(tmp_path: Path) -> None:
    """A file at the size limit full of bad values: the message lists a few, counts the rest."""
    count = (MAX_FILE_BYTES - 400) // 9
    statuses = ", ".join(["'abcde'"] * count)
    text = (
        "tenant_id: many\nflow: erp_led\nplan: 200\nhogia: {connection_id: h}\nstreams: [orders]\n"
        f"shops: [{{id: s, connection_id: j, channels: [{{channel_id: 1, currency: SEK}}]}}]\n"
        f"order_trigger_statuses: [{statuses}]\n"
    )
    path = write_tenant(tmp_path, text, name="many")
    assert path.stat().st_size <= MAX_FILE_BYTES

    error, elapsed = _refused(path)

    assert len(error.problems) == MAX_PROBLEMS
    message = str(error)
    assert f"and {count - MAX_PROBLEMS + 1} more problem(s)" in message
    assert message.count("order_trigger_statuses[") == MAX_PROBLEMS - 1
    assert len(message) < 8_000
    assert elapsed < NOT_EXPANDED


def test_a_huge_value_is_quoted_short(tmp_path: Path) -> None:
    path = write_tenant(tmp_path, tenant_dict(tenant_id="longname", plan="9" * 3_000), name="longname")
    error, _ = _refused(path)
    [problem] = error.problems
    assert problem.field == "plan"
    assert len(problem.message) < 300


def test_an_integer_python_cannot_build_is_a_yaml_problem_not_a_crash(tmp_path: Path) -> None:
    path = write_tenant(tmp_path, "tenant_id: bigint\nplan: " + "9" * 5_000 + "\n", name="bigint")
    error, _ = _refused(path)
    assert [p.field for p in error.problems] == ["<yaml>"]
    assert len(str(error)) < 500


@pytest.mark.parametrize("schedule", ["0 0 31 2 *", "0 0 30 2 *", "0 12 31 4,6,9,11 *"])
def test_a_schedule_that_never_fires_is_refused(tmp_path: Path, schedule: str) -> None:
    path = write_tenant(tmp_path, tenant_dict(schedule=schedule))
    error, elapsed = _refused(path)
    [problem] = error.problems
    assert problem.field == "schedule"
    assert "never fires" in problem.message
    assert elapsed < NOT_EXPANDED


@pytest.mark.parametrize("schedule", ["0 0 29 2 *", "*/15 * * * *", "@daily", "0 6 31 * *"])
def test_rare_but_real_schedules_are_accepted(tmp_path: Path, schedule: str) -> None:
    assert load_tenant_file(write_tenant(tmp_path, tenant_dict(schedule=schedule))).schedule == schedule
