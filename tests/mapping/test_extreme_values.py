"""Extreme values are quarantine reasons, not crashes: the rest of the batch is invoiced."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from mapping_builders import context, order, row

from jetshop_hogia.mapping import ReasonCode, transform_orders


def _with(number: str, **changes: Any) -> dict[str, Any]:
    data = order(number).model_dump()
    data.update(changes)
    return data


def _with_row(number: str, **changes: Any) -> dict[str, Any]:
    data = order(number).model_dump()
    data["rows"] = [{**data["rows"][0], **changes}]
    return data


CASES = {
    "year 9999": _with("X1", order_date=datetime(9999, 12, 31, 23, 0, tzinfo=UTC)),
    "changed in year 9999": _with("X1", changed_date=datetime(9999, 12, 31, tzinfo=UTC)),
    "year 1": _with("X1", order_date=datetime(1, 1, 2, tzinfo=UTC)),
    "total 1e30": _with("X1", total_inc_vat=Decimal("1E+30")),
    "row total 1e30": _with_row("X1", total_inc_vat=Decimal("1E+30")),
    "unit price 1e30": _with_row("X1", unit_price_inc_vat=Decimal("1E+30")),
    "quantity 1e30": _with_row("X1", quantity=Decimal("1E+30")),
    "negative quantity": _with_row("X1", quantity=Decimal("-2"), total_inc_vat=Decimal("-270.00")),
    "NaN total": _with("X1", total_inc_vat=Decimal("NaN")),
    "infinite price": _with_row("X1", unit_price_inc_vat=Decimal("Infinity")),
}


@pytest.mark.parametrize("bad", list(CASES.values()), ids=list(CASES))
def test_an_extreme_value_quarantines_its_order_and_the_batch_goes_on(bad: dict[str, Any]) -> None:
    good = [order("G1").model_dump(), order("G2", (row("7300", 3, "64.90"),)).model_dump()]
    result = transform_orders([good[0], bad, good[1]], context())

    assert [d.key.order_number for d in result.drafts] == ["G1", "G2"]
    assert [q.order_number for q in result.quarantined] == ["X1"]
    codes = result.quarantined[0].codes
    assert codes & {
        ReasonCode.MALFORMED_ORDER,
        ReasonCode.NON_POSITIVE_QUANTITY,
        ReasonCode.INVALID_ROW_AMOUNT,
    }
    assert result.quarantined[0].describe()  # a readable reason for the operator
