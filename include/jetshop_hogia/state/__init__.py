"""The sync state store: bindings, the order ledger, watermarks, quarantine, reconciliation results.

The source of truth for what has been synced, so that no invoice is created twice and no order is lost
across retries, backfills, concurrent runs and crashes. Plain SQLAlchemy (SQLite or PostgreSQL), no
Airflow imports; ``jetshop_hogia.state.connection.state_store_url()`` is the Airflow glue.
"""

from jetshop_hogia.state import catalog_models as _catalog_models  # noqa: F401  (registers the table)
from jetshop_hogia.state import initial_sync_models as _initial_sync_models  # noqa: F401  (registers)
from jetshop_hogia.state.bindings import BindingEntity
from jetshop_hogia.state.errors import (
    BindingConflictError,
    ClaimLostError,
    DuplicateInvoiceError,
    IllegalTransitionError,
    MigrationError,
    OrderNotFoundError,
    StateStoreError,
    UncommittedClaimError,
    WatermarkKindError,
)
from jetshop_hogia.state.ledger import DEFAULT_CLAIM_TTL, DEFAULT_UNKNOWN_RETRY_AFTER
from jetshop_hogia.state.ledger_intake import ORDERS_STREAM
from jetshop_hogia.state.models import TENANT_WIDE
from jetshop_hogia.state.records import (
    Binding,
    Claim,
    OrderKey,
    OrderRecord,
    QuarantineEntry,
    ReconciliationCounts,
    ReconciliationResult,
    ReconciliationStatus,
    SeenResult,
    Watermark,
    WatermarkValue,
)
from jetshop_hogia.state.store import StateStore, StateTransaction
from jetshop_hogia.state.transitions import ALLOWED_TRANSITIONS, OrderState

__all__ = [
    "ALLOWED_TRANSITIONS",
    "DEFAULT_CLAIM_TTL",
    "DEFAULT_UNKNOWN_RETRY_AFTER",
    "ORDERS_STREAM",
    "TENANT_WIDE",
    "Binding",
    "BindingConflictError",
    "BindingEntity",
    "Claim",
    "ClaimLostError",
    "DuplicateInvoiceError",
    "IllegalTransitionError",
    "MigrationError",
    "OrderKey",
    "OrderNotFoundError",
    "OrderRecord",
    "OrderState",
    "QuarantineEntry",
    "ReconciliationCounts",
    "ReconciliationResult",
    "ReconciliationStatus",
    "SeenResult",
    "StateStore",
    "StateStoreError",
    "StateTransaction",
    "UncommittedClaimError",
    "Watermark",
    "WatermarkKindError",
    "WatermarkValue",
]
