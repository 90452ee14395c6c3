"""What the Hogia Smart resource modules share: the request contract, typed parsing and JSON bodies.

The resource modules (:mod:`.hogia_company`, :mod:`.hogia_contacts`, :mod:`.hogia_articles`,
:mod:`.hogia_changes`, :mod:`.hogia_invoices`) are mixins of
:class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`; :class:`HogiaRestCalls` names the
three hook methods they build on. Answers are parsed into the shared models of
``jetshop_hogia.apimodel.hogia_smart``; a mismatch raises :class:`HogiaResponseError` naming the field
but never the value (pydantic's own messages quote the input: customer names, e-mails).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jetshop_hogia.apimodel.hogia_base import to_wire_time
from jetshop_hogia_provider.transport import NotFoundError, PermanentError, TransportResponse

M = TypeVar("M", bound=BaseModel)


class HogiaResponseError(PermanentError):
    """Hogia answered 2xx, but the body does not fit the model (a changed API version, a broken proxy)."""


class HogiaRestCalls:
    """The contract the resource mixins rely on; :class:`HogiaSmartHook` implements it."""

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        idempotent: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TransportResponse:
        """One call below the organisation prefix (see ``HogiaSmartHook.request``)."""
        raise NotImplementedError

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """:meth:`request` with the JSON answer decoded (fractions as Decimal)."""
        raise NotImplementedError

    def iter_pages(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
        operation: str | None = None,
    ) -> Iterator[list[Any]]:
        """Each page of a list resource."""
        raise NotImplementedError

    def get_json_or_none(self, path: str, *, operation: str) -> Any:
        """``GET path`` decoded, or None for a 404 (Hogia's bare ``"Entity not found"``)."""
        try:
            return self.request_json("GET", path, operation=operation)
        except NotFoundError:
            return None


def parse_model(model: type[M], payload: Any, *, operation: str) -> M:
    """``payload`` as ``model``; a mismatch is a :class:`HogiaResponseError` without input values."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '$'}: {e['msg']}" for e in exc.errors(include_input=False)[:5]
        )
        raise HogiaResponseError(
            f"answer does not fit {model.__name__}: {problems}", operation=operation
        ) from None


def parse_models(model: type[M], payload: Any, *, operation: str) -> list[M]:
    """A JSON array of ``model``."""
    if not isinstance(payload, list):
        raise HogiaResponseError(f"expected a JSON array of {model.__name__}", operation=operation)
    return [parse_model(model, item, operation=operation) for item in payload]


def parse_new_id(payload: Any, *, operation: str) -> str:
    """The GUID a create answers with (a bare JSON string, FACT)."""
    if isinstance(payload, str):
        try:
            return str(uuid.UUID(payload))
        except ValueError:
            pass
    raise HogiaResponseError("create answered without the new entity's GUID", operation=operation)


def entity_id(value: str | uuid.UUID) -> str:
    """A GUID for a URL path; anything else is refused before it can reach a path (``../``)."""
    try:
        return str(uuid.UUID(str(value).strip().strip("{}")))
    except ValueError:
        raise ValueError("entity ids are GUIDs") from None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return to_wire_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value  # Decimal stays Decimal: encode_json writes its exact digits


def wire_body(model: BaseModel, *, omit_none: bool = False) -> dict[str, Any]:
    """A request body: camelCase keys, exact Decimals, dates ``YYYY-MM-DD``, times as naive local time.

    ``omit_none`` leaves unset fields out, for creates: "a line with only articleNumber and quantity"
    (FACT) should not become one with ``"unitPrice": null``. Replacements (PUT) keep the nulls, which
    is how a value is cleared (``"campaignPrice": null`` ends a campaign).
    """
    body: dict[str, Any] = _plain(model.model_dump(mode="python", by_alias=True, exclude_none=omit_none))
    return body
