"""The catalog write loop: chunks, a batch refused whole split in halves, hashes confirmed per chunk.

Jetshop rejects a whole batch for one ill-typed value (``soap:Sender``, FACT) and answers business
failures per item (HTTP 200). So a chunk refused whole is split in two and each half sent again, down
to the one item that is refused on its own — that item is quarantined with the service's message, the
others are applied: one bad article in 500 costs about 2·log2(50) extra calls, not 499 lost writes.

Hashes are stored after *each* confirmed chunk, not at the end: if the run dies in chunk 7, chunks 1–6
are not sent again by the retry (a lost answer repeats nothing that was confirmed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from jetshop_hogia.errors import PermanentError
from jetshop_hogia.streams._catalog.model import Item, Outcome

Send = Callable[[list[Item]], list[Outcome]]


@dataclass
class ScopeWrite:
    """What one scope's write did."""

    scope: str
    sent: int = 0
    confirmed: list[str] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)
    calls: int = 0
    splits: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Counts for XCom and the run report (keys of refused items only, no payloads)."""
        return {
            "sent": self.sent,
            "confirmed": len(self.confirmed),
            "quarantined": len(self.refused),
            "calls": self.calls,
            "splits": self.splits,
            "error": self.error,
        }


def send_splitting(items: list[Item], send: Send, report: ScopeWrite) -> list[Outcome]:
    """Send ``items``; a chunk refused whole (``PermanentError``) is split until the bad item stands alone."""
    report.calls += 1
    try:
        outcomes = send(items)
    except PermanentError as error:
        if len(items) == 1:
            return [Outcome(items[0].key, f"refused on its own: {error}", "refused_whole_batch")]
        report.splits += 1
        middle = len(items) // 2
        return send_splitting(items[:middle], send, report) + send_splitting(items[middle:], send, report)
    if sorted(o.key for o in outcomes) != sorted(i.key for i in items):
        raise RuntimeError(f"{len(outcomes)} outcomes do not answer the {len(items)} items sent")
    return outcomes


def chunked(items: Sequence[Item], size: int) -> list[list[Item]]:
    """``items`` in chunks of at most ``size``."""
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def write_scope(
    scope: str,
    items: Sequence[Item],
    *,
    send: Send,
    batch_size: int,
    confirm: Callable[[list[Item]], None],
    quarantine: Callable[[list[Outcome]], None],
) -> ScopeWrite:
    """Send every item of one scope; confirm and quarantine per chunk. Exceptions other than a refused
    batch (target unreachable) propagate after everything confirmed so far is stored."""
    report = ScopeWrite(scope)
    by_key = {item.key: item for item in items}
    for chunk in chunked(items, batch_size):
        outcomes = send_splitting(chunk, send, report)
        report.sent += len(chunk)
        good = [by_key[o.key] for o in outcomes if o.ok]
        bad = [o for o in outcomes if not o.ok]
        if good:
            confirm(good)
            report.confirmed.extend(item.key for item in good)
        if bad:
            quarantine(bad)
            report.refused.extend(bad)
    return report
