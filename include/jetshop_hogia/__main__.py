"""``python -m jetshop_hogia``: the operator's command line (quarantine, repairing a day).

    python -m jetshop_hogia quarantine list    --tenant alpha_shop_led [--stream orders] [--reason CODE]
    python -m jetshop_hogia quarantine show    --tenant alpha_shop_led A100049 [--shop alpha]
    python -m jetshop_hogia quarantine release --tenant alpha_shop_led A100049 [A100050 …] [--shop alpha]

    python -m jetshop_hogia backfill --tenant alpha_shop_led --day 2026-11-24 [--whole-day] [--wait 600]

``backfill`` re-runs the failed runs of a local day through the Airflow CLI (see
:mod:`jetshop_hogia.operations.backfill`); on the demo: ``make backfill TENANT=… DAY=…``.
The state store is ``--state-url``, else ``$JETSHOP_HOGIA_STATE_URL``, else the Airflow connection
``sync_state`` (so run it with the deployment's Airflow environment; on the demo:
``make quarantine ARGS="list --tenant alpha_shop_led"``). Output holds ids, codes and reason texts only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from jetshop_hogia.operations import quarantine as ops
from jetshop_hogia.state import ORDERS_STREAM, QuarantineEntry, StateStore

STATE_URL_ENV = "JETSHOP_HOGIA_STATE_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jetshop_hogia", description=__doc__.split("\n")[0])
    parser.add_argument("--state-url", help=f"SQLAlchemy URL of the state store (default: ${STATE_URL_ENV})")
    area = parser.add_subparsers(dest="area", required=True)
    quarantine = area.add_parser("quarantine", help="records parked for a human")
    action = quarantine.add_subparsers(dest="action", required=True)
    for name, text in (
        ("list", "open entries, oldest first"),
        ("show", "one entry with its ledger state"),
        ("release", "resolve entries; the next run sends the orders again"),
    ):
        sub = action.add_parser(name, help=text)
        sub.add_argument("--tenant", required=True)
        sub.add_argument("--stream", default=None if name == "list" else ORDERS_STREAM)
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "list":
            sub.add_argument("--reason", help="only this reason code")
        else:
            sub.add_argument("--shop", help="shop id (default: the only shop holding the record)")
            sub.add_argument("records", nargs="+" if name == "release" else 1, metavar="RECORD_KEY")
    repair = area.add_parser("backfill", help="re-run the failed runs of one local day of a tenant")
    repair.add_argument("--tenant", required=True)
    repair.add_argument("--day", required=True, type=date.fromisoformat, help="local date, YYYY-MM-DD")
    repair.add_argument("--whole-day", action="store_true", help="also re-process the day in one run")
    repair.add_argument("--wait", type=float, default=0, metavar="SECONDS", help="wait for the runs")
    return parser


def _store(url: str | None) -> StateStore:
    if not url:
        url = os.environ.get(STATE_URL_ENV, "").strip() or None
    if not url:
        from jetshop_hogia.state.connection import state_store_url

        url = state_store_url()
    store = StateStore(url)
    store.migrate()
    return store


def _entry_dict(entry: QuarantineEntry) -> dict[str, Any]:
    return {
        "stream": entry.stream,
        "shop_id": entry.shop_id,
        "record_key": entry.record_key,
        "reason_code": entry.reason_code,
        "reason_text": entry.reason_text,
        "occurrences": entry.occurrences,
        "run_id": entry.run_id,
        "since": entry.created_at.isoformat(),
        "resolved_at": entry.resolved_at.isoformat() if entry.resolved_at else None,
    }


def _shop_of(store: StateStore, tenant: str, stream: str, key: str, shop: str | None) -> str:
    """The shop holding ``key`` in quarantine when ``--shop`` was not given (must be unambiguous)."""
    if shop:
        return shop
    with store.transaction() as tx:
        shops = {e.shop_id for e in tx.quarantine.open_entries(tenant, stream=stream) if e.record_key == key}
    if len(shops) > 1:
        raise SystemExit(f"{key} is quarantined in shops {sorted(shops)}; name one with --shop")
    return shops.pop() if shops else "-"


def _reason_detail(entry: QuarantineEntry) -> str:
    """The reason text without the code the column before already shows (many texts start with it)."""
    prefix = f"{entry.reason_code}: "
    text = entry.reason_text
    return text[len(prefix) :] if text.startswith(prefix) else text


def _list(store: StateStore, args: argparse.Namespace) -> int:
    entries = ops.list_open(store, args.tenant, stream=args.stream, reason=args.reason)
    if args.json:
        print(json.dumps([_entry_dict(entry) for entry in entries], indent=2))
        return 0
    print(f"{len(entries)} open for {args.tenant}: {ops.describe_counts(ops.counts_by_reason(entries))}")
    for entry in entries:
        print(
            f"{entry.stream:<8} {entry.shop_id:<10} {entry.record_key:<14} {entry.reason_code:<24} "
            f"{entry.created_at:%Y-%m-%d %H:%M} ×{entry.occurrences}  {_reason_detail(entry)[:80]}"
        )
    return 0


def _show(store: StateStore, args: argparse.Namespace) -> int:
    key = args.records[0]
    shop = _shop_of(store, args.tenant, args.stream, key, args.shop)
    detail = ops.show(store, tenant_id=args.tenant, stream=args.stream, record_key=key, shop_id=shop)
    if detail is None:
        print(f"{key} was never quarantined for {args.tenant} ({args.stream})", file=sys.stderr)
        return 1
    shown = _entry_dict(detail.entry)
    if detail.order is not None:
        order = detail.order
        shown["ledger"] = {
            "state": order.state.value,
            "attempts": order.attempts,
            "last_error": order.last_error,
            "order_changed_at": order.order_changed_at.isoformat() if order.order_changed_at else None,
            "hogia_invoice_id": order.hogia_invoice_id,
        }
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    return 0


def _release(store: StateStore, args: argparse.Namespace) -> int:
    missing = []
    for key in args.records:
        shop = _shop_of(store, args.tenant, args.stream, key, args.shop)
        released = ops.release(store, tenant_id=args.tenant, stream=args.stream, record_key=key, shop_id=shop)
        print(f"{key}: {'released; the next run sends it' if released else 'no open entry'}")
        if not released:
            missing.append(key)
    return 1 if missing else 0


LOCKED_RETRIES = 5
"""Attempts of one Airflow command that SQLite refused with ``database is locked``."""


def airflow_cli(args: Sequence[str]) -> str:
    """``airflow <args>`` (the one next to this Python, else on PATH); its output, or exit with its error.

    On a SQLite metadata DB a command that reads and then writes while the scheduler writes can be
    refused at once with ``database is locked`` (a stale WAL snapshot: the busy timeout does not apply).
    Such a command changed nothing, and every command this CLI runs is safe to repeat, so it is retried.
    """
    found = Path(sys.executable).parent / "airflow"
    binary = str(found) if found.exists() else shutil.which("airflow") or "airflow"
    for attempt in range(1, LOCKED_RETRIES + 1):
        done = subprocess.run(
            [binary, *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
        if done.returncode == 0 or "database is locked" not in done.stderr or attempt == LOCKED_RETRIES:
            break
        print(f"airflow {args[0]} {args[1]}: database is locked, trying again", file=sys.stderr)
        time.sleep(2 * attempt)
    if done.returncode != 0:
        raise SystemExit(f"airflow {' '.join(args[:3])} … failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def _backfill(args: argparse.Namespace) -> int:
    from jetshop_hogia.config import load_tenant
    from jetshop_hogia.operations.backfill import repair_day

    tenant = load_tenant(args.tenant)
    result = repair_day(
        airflow_cli,
        tenant.dag_id,
        args.day,
        tenant.timezone,
        whole_day=args.whole_day,
        wait_seconds=args.wait,
    )
    return 0 if result.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; exit status 0 on success, 1 when a record was not found, 2 on usage errors."""
    args = _parser().parse_args(argv)
    if args.area == "backfill":
        return _backfill(args)
    store = _store(args.state_url)
    try:
        handler = {"list": _list, "show": _show, "release": _release}[args.action]
        return handler(store, args)
    finally:
        store.dispose()


if __name__ == "__main__":
    sys.exit(main())
