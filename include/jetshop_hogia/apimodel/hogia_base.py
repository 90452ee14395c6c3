"""Wire conventions every Hogia Smart resource shares (FACT): camelCase, entity fields, times, numbers.

Split out of :mod:`jetshop_hogia.apimodel.hogia_smart` (import from there) so that the invoice models can
use the same base without an import cycle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def to_utc(value: datetime) -> datetime:
    """Aware UTC from a wire time: a naive value is Stockholm local time (FACT: no zone on the wire)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC)


def to_wire_time(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` in Stockholm local time, without offset, as Hogia writes it."""
    return to_utc(value).astimezone(STOCKHOLM).replace(tzinfo=None).isoformat(timespec="seconds")


def _json_number(value: Decimal) -> int | float:
    """A JSON number for a Decimal (exact for money and quantities: ≤ 15 significant digits)."""
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")]
"""A Decimal that goes out as a JSON number, not as pydantic's default string."""
Money = Annotated[
    Decimal, Field(decimal_places=2), PlainSerializer(_json_number, return_type=int | float, when_used="json")
]
"""An amount in öre precision (2 decimals); more decimals are a validation error."""
LocalDateTime = Annotated[datetime, AfterValidator(to_utc), PlainSerializer(to_wire_time, when_used="json")]
"""Aware UTC inside the program, naive Europe/Stockholm local time on the wire."""


class HogiaModel(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown fields ignored as ASP.NET does."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def wire(self) -> dict[str, Any]:
        """The JSON-ready camelCase dict of this model."""
        return self.model_dump(mode="json", by_alias=True)


class Entity(HogiaModel):
    """Fields every stored resource carries (FACT); ``rowVersion`` is one counter per company."""

    id: str
    version: int = 1
    row_version: int
    created_date: LocalDateTime
    updated_date: LocalDateTime
