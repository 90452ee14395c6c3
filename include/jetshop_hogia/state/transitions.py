"""The order ledger's state machine: which states exist and which moves between them are legal.

The table below is the single source of truth; every ledger operation declares the states it may start
from, and a test checks those declarations against this table. The lifecycle exists so that an invoice
is created at most once per order: only ``eligible`` (or a ``pushing`` claim whose owner vanished) can
be claimed, and ``pushed`` is terminal.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class OrderState(enum.StrEnum):
    """Where one web-shop order is on its way to becoming exactly one Hogia invoice."""

    SEEN = "seen"
    """Read from Jetshop and recorded; not yet judged."""
    ELIGIBLE = "eligible"
    """Validated and waiting to be pushed."""
    PUSHING = "pushing"
    """Claimed by one run which may be creating the invoice right now. If the claim has expired the
    outcome is unknown (the run may have crashed after the API call): look the invoice up first."""
    PUSHED = "pushed"
    """The invoice exists in Hogia and its id is recorded. Terminal."""
    QUARANTINED = "quarantined"
    """Cannot be pushed without a human (bad data or a permanent API refusal)."""
    IGNORED = "ignored"
    """Deliberately not pushed (e.g. cancelled, or its status no longer triggers a transfer)."""


S = OrderState

ALLOWED_TRANSITIONS: Mapping[OrderState, frozenset[OrderState]] = {
    S.SEEN: frozenset({S.ELIGIBLE, S.IGNORED, S.QUARANTINED}),
    S.ELIGIBLE: frozenset({S.PUSHING, S.IGNORED, S.QUARANTINED}),
    # pushing -> pushing is a takeover of an expired claim, or of the claim a dead earlier try of the
    # same Airflow run left behind; -> eligible only when the invoice was definitely not created;
    # -> quarantined when Hogia refused it permanently.
    S.PUSHING: frozenset({S.PUSHED, S.ELIGIBLE, S.QUARANTINED, S.PUSHING}),
    S.PUSHED: frozenset(),
    S.QUARANTINED: frozenset({S.ELIGIBLE, S.IGNORED}),
    S.IGNORED: frozenset({S.ELIGIBLE, S.QUARANTINED}),
}
"""Legal moves. Staying in ``eligible``, ``ignored`` or ``quarantined`` is an idempotent no-op and
not listed here."""

UNPUSHED_STATES: frozenset[OrderState] = frozenset(set(OrderState) - {S.PUSHED})


def is_legal(current: OrderState, target: OrderState) -> bool:
    """Whether the ledger may move an order from ``current`` to ``target``."""
    return target in ALLOWED_TRANSITIONS[current]


def sources_of(target: OrderState) -> frozenset[OrderState]:
    """Every state from which ``target`` can be reached."""
    return frozenset(state for state, targets in ALLOWED_TRANSITIONS.items() if target in targets)


def declare_sources(target: OrderState, *sources: OrderState) -> frozenset[OrderState]:
    """The start states of one ledger operation, checked against the table when the module loads.

    Keeps every operation's ``UPDATE … WHERE state IN (…)`` provably inside the state machine.
    """
    illegal = [source for source in sources if not is_legal(source, target)]
    if illegal:
        names = ", ".join(state.value for state in illegal)
        raise ValueError(f"{names} -> {target.value} is not in ALLOWED_TRANSITIONS")
    return frozenset(sources)
