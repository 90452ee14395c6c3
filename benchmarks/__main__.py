"""``make bench``: run every benchmark and print its figures as ratios against its baseline.

Each benchmark module has ``run(duration_s: float) -> dict`` returning at least ``name``, ``value``,
``unit``, ``baseline`` (measured in the same run), ``ratio`` and optionally ``target_ratio``,
``lower_is_better`` (the ratio must stay at or under its target, e.g. parse time), ``target_met`` (when
the target is not a plain ratio) and ``notes``. A figure that misses its target is flagged but does not
fail the command: speed is tracked, not gated, on shared machines.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

BENCHMARKS = ("sim_jetshop", "sim_hogia", "transform", "order_stream", "dag_parse", "catalog", "sync_status")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args()
    names = args.names or list(BENCHMARKS)
    print(f"{'benchmark':<34} {'value':>12} {'baseline':>12} {'ratio':>8} {'target':>8}  unit")
    failures = 0
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            print(f"{name:<34} not available ({exc})")
            continue
        started = time.perf_counter()
        try:
            results = module.run(args.duration)
        except Exception as exc:  # a broken benchmark is reported, the others still run
            failures += 1
            print(f"{name:<34} FAILED: {exc!r}")
            continue
        for result in results if isinstance(results, list) else [results]:
            target = result.get("target_ratio")
            flag = "" if _meets_target(result) else "  << misses target"
            print(
                f"{result['name']:<34} {result['value']:>12.2f} {result['baseline']:>12.2f} "
                f"{result['ratio']:>8.2f} {target if target is not None else '-':>8}  {result['unit']}{flag}"
            )
            if result.get("notes"):
                print(f"{'':<34} {result['notes']}")
        print(f"{'':<34} ({time.perf_counter() - started:.1f} s)")
    return 1 if failures else 0


def _meets_target(result: dict[str, object]) -> bool:
    if "target_met" in result:
        return bool(result["target_met"])
    target, ratio = result.get("target_ratio"), result["ratio"]
    if target is None:
        return True
    assert isinstance(target, float | int)
    assert isinstance(ratio, float | int)
    return ratio <= target if result.get("lower_is_better") else ratio >= target


if __name__ == "__main__":
    sys.exit(main())
