"""Why an order cannot be invoiced: stable reason codes plus a human sentence.

Codes are machine-readable (dashboards, alert rules, quarantine queries filter on them) and must not
change once released; the text is for the merchant and may change freely. An order is quarantined
with *all* its reasons at once so that the merchant can fix everything in one pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReasonCode(enum.StrEnum):
    """Every check the transform performs; the value is the code written to the quarantine."""

    MALFORMED_ORDER = "malformed_order"
    NO_ROWS = "no_rows"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_CURRENCY = "unknown_currency"
    CURRENCY_CHANNEL_MISMATCH = "currency_channel_mismatch"
    INVALID_EMAIL = "invalid_email"
    MISSING_CUSTOMER_NUMBER = "missing_customer_number"
    MISSING_CUSTOMER_NAME = "missing_customer_name"
    UNKNOWN_CUSTOMER = "unknown_customer"
    UNKNOWN_ARTICLE = "unknown_article"
    HELPER_ARTICLE_MISSING = "helper_article_missing"
    VAT_RATE_MISSING = "vat_rate_missing"
    VAT_RATE_NOT_SWEDISH = "vat_rate_not_swedish"
    VAT_RATE_NOT_VALID_ON_DATE = "vat_rate_not_valid_on_date"
    NON_POSITIVE_QUANTITY = "non_positive_quantity"
    INVALID_ROW_AMOUNT = "invalid_row_amount"
    ROW_TOTAL_MISMATCH = "row_total_mismatch"
    ROWS_DO_NOT_SUM = "rows_do_not_sum"
    PLUGIN_FAILED = "plugin_failed"
    PLUGIN_INVALID_DRAFT = "plugin_invalid_draft"


@dataclass(frozen=True)
class Reason:
    """One failed check of one order."""

    code: ReasonCode
    text: str

    def __str__(self) -> str:
        return f"{self.code.value}: {self.text}"


@dataclass(frozen=True)
class QuarantinedOrder:
    """An order that was not turned into an invoice draft, with every reason found."""

    tenant_id: str
    shop_id: str
    order_number: str
    order_id: int | None
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> frozenset[ReasonCode]:
        """The distinct reason codes, for filtering and tests."""
        return frozenset(reason.code for reason in self.reasons)

    def describe(self) -> str:
        """All reasons on one line, as an operator reads them."""
        return "; ".join(str(reason) for reason in self.reasons)
