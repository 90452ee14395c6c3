"""The report of an initial sync: per outcome a count and the article numbers, and its log lines.

The six outcomes are disjoint — every planned article ends in exactly one — so
``planned = matched + created + updated + conflicting + skipped + failed``:

- matched: both sides already agree (bound, nothing written);
- created: the target did not have it;
- updated: a conflict written over (policy ``overwrite``);
- conflicting: a conflict left for a human (policy ``report``);
- skipped: a conflict left as the target has it (policy ``skip``);
- failed: unmappable in the source or refused by the target (quarantined, with the reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

OUTCOMES = ("matched", "created", "updated", "conflicting", "skipped", "failed")
NUMBERS_LOGGED = 20


def build_report(rows: Iterable[tuple[str, str, str, str | None]], options: dict[str, Any]) -> dict[str, Any]:
    """``rows`` of ``(scope, article, outcome, detail)`` → counts, article numbers per outcome, failures."""
    articles: dict[str, list[str]] = {outcome: [] for outcome in OUTCOMES}
    failures: list[dict[str, str]] = []
    for scope, key, outcome, detail in rows:
        if outcome not in articles:
            raise ValueError(f"unknown initial-sync outcome {outcome!r} for {key}")
        label = key if scope == "*" else f"{scope}:{key}"
        articles[outcome].append(label)
        if outcome in ("failed", "conflicting") and detail:
            failures.append({"article": label, "outcome": outcome, "reason": detail[:300]})
    counts = {outcome: len(keys) for outcome, keys in articles.items()}
    return {
        "options": options,
        "planned": sum(counts.values()),
        "counts": counts,
        "articles": {outcome: sorted(keys) for outcome, keys in articles.items()},
        "details": failures,
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """Human-readable lines for the task log (ids and field names only, no personal data)."""
    options = report["options"]
    mode = "DRY RUN — nothing was written" if options["dry_run"] else "written"
    lines = [
        f"initial sync {options['direction']} ({mode}), conflict policy {options['conflict_policy']}: "
        f"{report['planned']} articles planned",
        ", ".join(f"{outcome} {count}" for outcome, count in report["counts"].items()),
    ]
    for outcome in OUTCOMES:
        keys = report["articles"][outcome]
        if keys and outcome != "matched":
            more = f" … and {len(keys) - NUMBERS_LOGGED} more" if len(keys) > NUMBERS_LOGGED else ""
            lines.append(f"{outcome}: {', '.join(keys[:NUMBERS_LOGGED])}{more}")
    lines.extend(
        f"  {d['article']} ({d['outcome']}): {d['reason']}" for d in report["details"][:NUMBERS_LOGGED]
    )
    return lines
