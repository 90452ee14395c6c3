"""Value codecs between Python types and the text .NET's ``XmlSerializer`` reads and writes.

The rules are the FACTs of the Jetshop wire format: decimals with a dot and 4 places (``231.2000``),
VAT as a fraction with 8 places (``0.25000000``), times without offset and with as many fraction digits
as needed (``2026-01-16T09:30:47.69``), ``true``/``false``. Inside the program money is ``Decimal`` and
time is aware UTC; the wire has naive Europe/Stockholm local time (MODEL), converted here and nowhere
else. Parsers are as strict as .NET's (an empty ``int`` is an error, not zero) and raise
:class:`~jetshop_hogia.soap.errors.XmlValueError` with .NET's own message.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from jetshop_hogia.soap.errors import XmlValueError

WIRE_TZ = ZoneInfo("Europe/Stockholm")
"""The time zone of offset-less wire timestamps (MODEL: Jetshop is a Swedish service)."""

FOUR_PLACES = Decimal("0.0001")
EIGHT_PLACES = Decimal("0.00000001")
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

_INT_RE = re.compile(r"\s*[+-]?\d+\s*\Z")
_DECIMAL_RE = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*\Z")
_DATETIME_RE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?\s*\Z"
)
_FORMAT_ERROR = "Input string was not in a correct format."


def format_decimal(value: Decimal | int, places: int = 4) -> str:
    """``Decimal('231.2')`` → ``'231.2000'`` (half-up to ``places``; never scientific notation)."""
    quantum = FOUR_PLACES if places == 4 else Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}"


def format_vat(rate: Decimal) -> str:
    """A VAT rate as the fraction Jetshop writes: ``Decimal('0.25')`` → ``'0.25000000'``."""
    return f"{rate.quantize(EIGHT_PLACES, rounding=ROUND_HALF_UP):f}"


def format_bool(value: bool) -> str:
    """``True`` → ``'true'``."""
    return "true" if value else "false"


def format_datetime(value: datetime) -> str:
    """An aware instant → naive Stockholm local time with trailing zeros of the fraction dropped.

    ``2026-01-16 08:30:47.690 UTC`` → ``'2026-01-16T09:30:47.69'``; whole seconds have no fraction
    (``'2026-01-23T00:00:00'``), as .NET writes them.
    """
    if value.tzinfo is None:
        raise ValueError("format_datetime needs an aware datetime (naive values are ambiguous)")
    local = value.astimezone(WIRE_TZ)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if local.microsecond:
        text += "." + f"{local.microsecond:06d}".rstrip("0")
    return text


def format_guid(value: uuid.UUID | str) -> str:
    """A GUID in the upper case ``Product_Get`` writes (``7C7DFEC3-2312-…``)."""
    return str(uuid.UUID(str(value))).upper()


def parse_int(text: str | None, *, name: str = "value") -> int:
    """xsd:int as .NET reads it: optional sign and surrounding blanks, nothing else, 32 bits."""
    raw = text or ""
    if not _INT_RE.match(raw):
        raise XmlValueError(name, raw, "int", _FORMAT_ERROR)
    value = int(raw)
    if not INT32_MIN <= value <= INT32_MAX:
        raise XmlValueError(
            name,
            raw,
            "int",
            "Value was either too large or too small for an Int32.",
            dotnet_exception="System.OverflowException",
        )
    return value


def parse_decimal(text: str | None, *, name: str = "value") -> Decimal:
    """xsd:decimal as .NET reads it: dot decimals, no exponent, no thousands separators."""
    raw = text or ""
    if not _DECIMAL_RE.match(raw):
        raise XmlValueError(name, raw, "decimal", _FORMAT_ERROR)
    try:
        return Decimal(raw.strip())
    except InvalidOperation as exc:  # unreachable after the regex; kept for safety
        raise XmlValueError(name, raw, "decimal", _FORMAT_ERROR) from exc


def parse_bool(text: str | None, *, name: str = "value") -> bool:
    """xsd:boolean: ``true``/``false``/``1``/``0``."""
    raw = (text or "").strip()
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise XmlValueError(
        name, text or "", "boolean", f"The string '{text or ''}' is not a valid Boolean value."
    )


def parse_datetime(text: str | None, *, name: str = "value") -> datetime:
    """xsd:dateTime → aware UTC. Without an offset the text is Stockholm local time (MODEL).

    Up to 7 fraction digits are accepted (.NET ticks); digits past microseconds are dropped. In the
    autumn's repeated hour a naive time is read as its first occurrence (``fold=0``).
    """
    raw = text or ""
    match = _DATETIME_RE.match(raw)
    if not match:
        raise XmlValueError(
            name,
            raw,
            "dateTime",
            f"The string '{raw}' is not a valid AllXsd value.",
            dotnet_exception="System.FormatException",
        )
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
    except ValueError as exc:
        raise XmlValueError(
            name, raw, "dateTime", f"The string '{raw}' is not a valid AllXsd value."
        ) from exc
    if zone is None:
        return naive.replace(tzinfo=WIRE_TZ).astimezone(UTC)
    if zone == "Z":
        return naive.replace(tzinfo=UTC)
    sign = 1 if zone[0] == "+" else -1
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * sign
    return (naive - offset).replace(tzinfo=UTC)


def parse_guid(text: str | None, *, name: str = "value") -> uuid.UUID:
    """A GUID in any case (with or without braces); compare GUIDs as parsed values, never as text."""
    raw = (text or "").strip()
    try:
        return uuid.UUID(raw.strip("{}"))
    except ValueError as exc:
        raise XmlValueError(
            name,
            text or "",
            "guid",
            "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
        ) from exc


def guids_equal(first: str | uuid.UUID, second: str | uuid.UUID) -> bool:
    """Case-insensitive GUID comparison (``Product_Get`` writes upper case, other calls echo input)."""
    try:
        return uuid.UUID(str(first).strip("{}")) == uuid.UUID(str(second).strip("{}"))
    except ValueError:
        return str(first).strip().lower() == str(second).strip().lower()
