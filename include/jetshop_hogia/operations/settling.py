"""Which outcomes of a manually re-sent order are final, and the errors that turn the others red.

A replay or re-drive that could not write an order *now* (Hogia answered 503, the answer was lost) leaves
it ``eligible`` in the ledger: nothing is lost, but nothing was invoiced either, and a green run would say
otherwise. So the manual DAGs fail such a run after reporting every order:

- :class:`ReplayNotSettled` for ``replay_order`` — a plain error, so Airflow's retry sends the order
  again (it is looked up in Hogia first, so a lost answer is not invoiced twice);
- :class:`RedriveNotSettled` for ``redrive_quarantine`` — listed with the permanent errors: the re-read
  released the orders from quarantine, so a retry of the same run would select nothing and turn green.
  Its message names the orders and what brings them over (the next run, or ``replay_order``).

A light module without the state store's imports: Airflow's retry policy imports the error classes by
dotted path when it parses the DAG files.
"""

from __future__ import annotations

ALREADY_INVOICED = "already_invoiced"
INVOICED = "invoiced"
QUARANTINED = "quarantined"
NOT_FOUND = "not_found_in_jetshop"
UNSETTLED = "not_settled"
NOT_READY = "not_in_trigger_status"
"""Outcomes of one re-sent order, as reported in the task result and the log (``operations.replay``;
an order the ledger left in another state is reported by that state's name, e.g. ``eligible``)."""

FINAL_OUTCOMES = frozenset({INVOICED, ALREADY_INVOICED, QUARANTINED, NOT_FOUND, NOT_READY})
"""Outcomes after which nothing is left to do for the order now."""

ORDERS_NAMED = 20


def is_settled(outcome: str) -> bool:
    """Invoiced, known to be invoiced, quarantined again with a reason, gone or not released by the shop."""
    return outcome in FINAL_OUTCOMES


class ReplayNotSettled(RuntimeError):
    """The replayed order could not be written now; a retry of the task sends it again."""


class RedriveNotSettled(RuntimeError):
    """Re-driven orders could not be written now; they are eligible again, but a retry would not see them."""

    def __init__(self, tenant_id: str, unsettled: list[tuple[str, str]]) -> None:
        named = ", ".join(f"{number} ({reason[:120]})" for number, reason in unsettled[:ORDERS_NAMED])
        more = f" and {len(unsettled) - ORDERS_NAMED} more" if len(unsettled) > ORDERS_NAMED else ""
        super().__init__(
            f"{len(unsettled)} re-driven order(s) of {tenant_id} could not be invoiced now: {named}{more}. "
            "They are out of quarantine and eligible: the next sync run sends those within its look-back "
            "(operations.max_catch_up_days); send an older one with replay_order."
        )
