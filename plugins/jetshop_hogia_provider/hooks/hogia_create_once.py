"""Creating a record at most once on an API that honours no idempotency key (Hogia Smart, MODEL).

A POST whose answer is lost may or may not have been applied. Blindly sending it again is how Nordic
integrations end up with duplicate invoices (FACT, integrators' issue trackers); never sending it again
loses the record. The working pattern, implemented once here for every create of the hook:

1. optionally look the record up by its natural key first (the caller knows an earlier attempt may
   have happened, e.g. its state store shows one that never finished);
2. create; if the answer is lost (:class:`AmbiguousWriteError`) look the record up by its key;
3. found → that is the record, return its id; not found → the create was not applied, try again
   (a bounded number of times, then :class:`NotCreatedError`).

A 422 right after a lost answer (e.g. "number already exists") also triggers a look-up: the lost
attempt may be what the server now reports as a duplicate. The look-up assumes read-after-write
consistency of the list endpoints (true of the model; check it against the real service).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from jetshop_hogia_provider.transport import AmbiguousWriteError, TransientError, UnprocessableError

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3


class NotCreatedError(TransientError):
    """Every attempt lost its answer and every look-up found nothing: nothing was created, so the whole
    operation can safely be tried again later (an Airflow task retry)."""


def create_once(
    create: Callable[[], str],
    look_up: Callable[[], str | None] | None,
    *,
    operation: str,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    look_up_first: bool = False,
) -> str:
    """The id of the record ``create`` makes, created at most once (see the module docstring).

    ``look_up`` returns the id of an existing record with the same natural key, or None; it may raise
    (e.g. a duplicate error when it finds several). Without a ``look_up`` a lost answer is re-raised:
    retrying would risk a duplicate.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if look_up_first and look_up is not None and (found := look_up()) is not None:
        log.info("%s: found existing record before creating", operation)
        return found
    lost: AmbiguousWriteError | None = None
    for attempt in range(1, max_attempts + 1):
        try:
            return create()
        except AmbiguousWriteError as exc:
            if look_up is None:
                raise
            lost = exc
            log.warning("%s: answer of attempt %d lost; looking the record up", operation, attempt)
        except UnprocessableError:
            if lost is None or look_up is None:
                raise
            log.warning("%s: refused after a lost answer; looking the record up", operation)
            if (found := look_up()) is not None:
                return found
            raise
        if (found := look_up()) is not None:
            log.info("%s: the lost attempt %d had been applied; using that record", operation, attempt)
            return found
    raise NotCreatedError(
        f"{max_attempts} attempts lost their answers and none had been applied; nothing was created",
        operation=operation,
        attempts=max_attempts,
    )
