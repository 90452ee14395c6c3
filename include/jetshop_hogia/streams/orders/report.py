"""The reconciliation outcome in words an operator reads in a task log, and as JSON for the state store.

Written for the person on call, not for the developer: how many orders, what is wrong with which order
number, and what to do about it. No personal data: order numbers, invoice numbers, amounts and reason
codes only (quarantine texts may quote an e-mail address, so only the codes appear here). An invoice that
differs from the shop order is named with its shop, order number, the figure and both values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jetshop_hogia.streams.orders.reconciling import OrderCheck, Reconciliation, Verdict

MAX_LISTED = 10
"""Order numbers named per problem in the log line; the state store keeps all of them."""


def _numbers(checks: list[OrderCheck]) -> str:
    named = ", ".join(check.order_number for check in checks[:MAX_LISTED])
    more = len(checks) - MAX_LISTED
    return named + (f" and {more} more" if more > 0 else "")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def summarise(result: Reconciliation, label: str) -> str:
    """One paragraph: the window, what is fine, and each problem with what to do."""
    total = len(result.checks)
    invoiced = result.of(Verdict.MATCHED, Verdict.UNCHECKED, Verdict.MISMATCHED)
    quarantined = result.of(Verdict.QUARANTINED)
    parts = [f"{_plural(total, 'order')} in {label}: {len(invoiced)} invoiced once"]
    if quarantined:
        reasons = ", ".join(
            f"{c.order_number}: {c.note or 'see quarantine'}" for c in quarantined[:MAX_LISTED]
        )
        parts.append(f"{len(quarantined)} quarantined ({reasons})")
    if ignored := result.of(Verdict.IGNORED):
        parts.append(f"{len(ignored)} cancelled in Jetshop and not invoiced")
    if cancelled := result.of(Verdict.CANCELLED_IN_HOGIA):
        parts.append(f"{len(cancelled)} whose invoice was cancelled in Hogia ({_numbers(cancelled)})")
    sentences = [", ".join(parts) + "."]
    missing, duplicates = result.of(Verdict.MISSING), result.of(Verdict.DUPLICATE)
    if missing:
        sentences.append(
            f"{_plural(len(missing), 'order has', 'orders have')} no invoice in Hogia: {_numbers(missing)} — "
            "re-run this window once Hogia answers (clear the failed run, or airflow backfill create "
            "--reprocess-behavior failed); nothing is sent twice."
        )
    if duplicates:
        named = "; ".join(
            f"{c.order_number} ({', '.join(f'#{n}' for n in c.invoice_numbers)})"
            for c in duplicates[:MAX_LISTED]
        )
        sentences.append(
            f"{_plural(len(duplicates), 'order has', 'orders have')} more than one invoice: {named} — "
            "cancel or credit the extra invoices in Hogia."
        )
    else:
        sentences.append("No duplicates.")
    mismatched = result.of(Verdict.MISMATCHED)
    if mismatched:
        named = " | ".join(
            f"shop {c.shop_id} order {c.order_number}: {'; '.join(c.differences)}"
            for c in mismatched[:MAX_LISTED]
        )
        more = len(mismatched) - MAX_LISTED
        sentences.append(
            f"{_plural(len(mismatched), 'invoice differs', 'invoices differ')} from what the customer paid "
            f"(shop order, to the öre): {named}{f' and {more} more' if more > 0 else ''} — credit or "
            "correct the invoice in Hogia; the money rule is in docs/MONEY.md."
        )
    elif invoiced:
        unchecked = result.of(Verdict.UNCHECKED)
        sentences.append(
            "Totals match." if not unchecked else f"Totals match ({len(unchecked)} not re-checked this run)."
        )
    pending = [c for c in invoiced if c.ledger_state != "pushed"]
    if pending:
        sentences.append(
            f"{_plural(len(pending), 'invoice')} exist in Hogia but the ledger has not confirmed "
            f"{'it' if len(pending) == 1 else 'them'} yet ({_numbers(pending)}); a later run does."
        )
    return " ".join(sentences)


def gross_by_currency(result: Reconciliation) -> dict[str, dict[str, str]]:
    """Predicted and invoiced gross per currency over the checked orders (the Sync status chart)."""
    sums: dict[str, list[Decimal]] = {}
    for check in result.checks:
        if check.gross is not None:
            pair = sums.setdefault(check.gross[0], [Decimal(0), Decimal(0)])
            pair[0], pair[1] = pair[0] + check.gross[1], pair[1] + check.gross[2]
    return {currency: {"expected": str(e), "invoiced": str(i)} for currency, (e, i) in sums.items()}


def details(result: Reconciliation, label: str) -> dict[str, Any]:
    """JSON for the state store: the summary, gross amounts, and every order that is not simply fine."""
    fine = {Verdict.MATCHED, Verdict.UNCHECKED}
    return {
        "window": label,
        "summary": summarise(result, label),
        "amounts": gross_by_currency(result),
        "orders": [
            {
                "shop_id": check.shop_id,
                "order_number": check.order_number,
                "verdict": check.verdict.value,
                "invoice_numbers": list(check.invoice_numbers),
                "differences": list(check.differences),
                "note": check.note,
                "ledger_state": check.ledger_state,
            }
            for check in result.checks
            if check.verdict not in fine or check.ledger_state != "pushed"
        ],
    }
