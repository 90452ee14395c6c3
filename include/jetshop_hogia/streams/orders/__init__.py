"""The order stream: Jetshop orders → exactly one Hogia invoice each, reconciled per window.

The stream class lives in ``stream``; its steps delegate to the modules below.

Pure Python (hooks and the state store are passed in), one module per concern:

- ``windows``      which orders a run owns; the fetch overlap; window labels (DST-safe)
- ``fetching``     change list + ledger-owed orders → raw orders, recorded as seen
- ``reference``    the Hogia snapshot read once per run (articles, customers, rounding)
- ``transforming`` mapping context from tenant + snapshot; drafts, quarantine, ignore → ledger
- ``contacts``     new customers created once before their invoices
- ``pushing``      one invoice at most once (look-ups after lost answers)
- ``writing``      the claim → push → record loop over the ledger
- ``reconciling``  window vs Hogia: missing, duplicate, mismatched
- ``report``       the outcome in words for the task log
- ``files``/``steps`` the run-directory layout and the four steps the stream class delegates to
"""

from jetshop_hogia.streams.orders.stream import Orders

__all__ = ["Orders"]
