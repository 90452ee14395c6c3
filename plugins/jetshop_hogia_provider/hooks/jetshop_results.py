"""Per-item results of Jetshop batch calls: collect the failures, or raise them all at once.

Jetshop answers business failures with HTTP 200 and one result per item (FACT): an unknown article in a
price update is ``Success=false`` next to nine successes. The hook returns every result and never drops
one; these helpers are how a caller turns them into a decision::

    results = hook.price_list_update_inc_vat(rows)
    raise_for_failures("PriceList_UpdateArticleIncVAT", results)      # or: failures = item_failures(results)

Result types say what went wrong through ``problems`` and name themselves with ``key``; types from
other modules (the order layer's ``OrderStatusResult``) register adapters with :func:`item_problems`
and :func:`item_key` instead, so this module does not depend on the swappable order model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LISTED = 10
"""Failures named in an exception message; the rest are counted (all are in ``.failures``)."""
_CODE = re.compile(r"\b[A-Za-z]\w*=[\w.\-]+")
"""``ResultType=NotFound``-style codes: the only part of a problem an exception message quotes."""


def problem_codes(problems: Iterable[str]) -> str:
    """The ``Name=Value`` codes in ``problems`` (the models write statuses that way), or a count.

    The service's own messages (``Message`` of a refused row or status change) are free text that may
    name a customer, so they are never quoted; they stay on :attr:`ItemFailure.problems` for code.
    """
    listed = list(problems)
    codes = list(dict.fromkeys(code for problem in listed for code in _CODE.findall(problem)))
    return ", ".join(codes) if codes else f"{len(listed)} problem(s), not quoted"


@functools.singledispatch
def item_problems(result: object) -> tuple[str, ...]:
    """What did not succeed for one item (empty: success); default reads ``result.problems``."""
    problems = getattr(result, "problems", None)
    if problems is None:
        raise TypeError(f"{type(result).__name__} has no problems; register an item_problems adapter")
    return tuple(problems)


@functools.singledispatch
def item_key(result: object) -> str:
    """The item's name in messages (article number, order id …); default reads ``result.key``."""
    return str(getattr(result, "key", repr(result)))


@dataclass(frozen=True)
class ItemFailure:
    """One failed item: its position in the batch, its key, what went wrong, and the result itself.

    ``problems`` may be the service's own words and name customer data, so log the exception's
    message (which quotes only :func:`problem_codes`), not these.
    """

    index: int
    key: str
    problems: tuple[str, ...]
    result: object


class JetshopItemsFailedError(Exception):
    """Some items of a batch call were refused (the call itself succeeded); ``failures`` lists them."""

    def __init__(self, operation: str, failures: list[ItemFailure], total: int) -> None:
        listed = "; ".join(
            f"{failure.key}: {problem_codes(failure.problems)}" for failure in failures[:MAX_LISTED]
        )
        more = f" (and {len(failures) - MAX_LISTED} more)" if len(failures) > MAX_LISTED else ""
        super().__init__(f"{operation}: {len(failures)} of {total} items failed: {listed}{more}")
        self.operation = operation
        self.failures = failures
        self.total = total


def item_failures(results: Iterable[object]) -> list[ItemFailure]:
    """The failed items of ``results`` in batch order (empty when every item succeeded)."""
    failures: list[ItemFailure] = []
    for index, result in enumerate(results):
        problems = item_problems(result)
        if problems:
            failures.append(ItemFailure(index, item_key(result), problems, result))
    return failures


def raise_for_failures(operation: str, results: Iterable[object]) -> None:
    """Raise :class:`JetshopItemsFailedError` naming every failed item, if there is any."""
    materialised = list(results)
    failures = item_failures(materialised)
    if failures:
        raise JetshopItemsFailedError(operation, failures, len(materialised))
