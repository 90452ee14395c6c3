"""The first line of a run's reconcile summary: counts per outcome and per quarantine reason.

It is what an operator reads in the grid (the DAG run's note), in the task log before the long
paragraph, and in the daily digest — so it is short, always has the same shape, and names reason
codes (never personal data)::

    orders 2026-11-24 10:00–10:05 (Europe/Stockholm): 12 invoiced, 3 quarantined (2 unknown_article,
    1 push_rejected), 1 ignored, 0 missing, 0 duplicates; open quarantine of the tenant: 5
"""

from __future__ import annotations

from collections import Counter

from jetshop_hogia.streams.orders.reconciling import Reconciliation, Verdict


def quarantine_reasons(result: Reconciliation) -> Counter[str]:
    """Quarantined orders of the run per reason code."""
    return Counter(check.note or "unknown" for check in result.of(Verdict.QUARANTINED))


def headline(result: Reconciliation, label: str, *, open_quarantine: int | None = None) -> str:
    """One line: invoiced, quarantined (by reason), ignored, missing, duplicates, mismatched."""
    invoiced = len(result.of(Verdict.MATCHED, Verdict.UNCHECKED, Verdict.MISMATCHED))
    reasons = quarantine_reasons(result)
    quarantined = sum(reasons.values())
    by_reason = ", ".join(f"{count} {code}" for code, count in reasons.most_common())
    parts = [
        f"{invoiced} invoiced",
        f"{quarantined} quarantined" + (f" ({by_reason})" if by_reason else ""),
        f"{len(result.of(Verdict.IGNORED))} ignored",
        f"{len(result.of(Verdict.MISSING))} missing",
        f"{len(result.of(Verdict.DUPLICATE))} duplicates",
    ]
    if mismatched := result.of(Verdict.MISMATCHED):
        parts.append(f"{len(mismatched)} with differing totals")
    if cancelled := result.of(Verdict.CANCELLED_IN_HOGIA):
        parts.append(f"{len(cancelled)} cancelled in Hogia")
    line = f"orders {label}: " + ", ".join(parts)
    if open_quarantine:
        line += f"; open quarantine of the tenant: {open_quarantine}"
    return line
