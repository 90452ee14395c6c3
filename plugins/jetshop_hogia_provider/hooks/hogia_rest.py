"""What the Hogia Smart resource modules share: the request contract, typed parsing and JSON bodies.

The resource modules (:mod:`.hogia_company`, :mod:`.hogia_contacts`, :mod:`.hogia_articles`,
:mod:`.hogia_changes`, :mod:`.hogia_invoices`) are mixins of
:class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`; :class:`HogiaRestCalls` declares the
hook's ``request`` they build on and the reads made from it. Answers are parsed into the shared models of
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
from jetshop_hogia.errors import UnreadableResponseError
from jetshop_hogia_provider.transport import NotFoundError, TransportError, TransportResponse

M = TypeVar("M", bound=BaseModel)


class HogiaResponseError(UnreadableResponseError):
    """Hogia answered 2xx, but the body does not fit the model (a changed API version, a broken proxy)."""


class HogiaRestCalls:
    """What the resource mixins call: :meth:`request`, which :class:`HogiaSmartHook` implements, and
    the reads built on it alone (JSON decoding, paging, 404 as None, typed list and get), defined once
    here so every resource reads the same way."""

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
        """:meth:`request` and decode the JSON answer (fractions as Decimal); None for an empty body."""
        response = self.request(method, path, **kwargs)
        return response.json() if response.content.strip() else None

    def iter_pages(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
        operation: str | None = None,
    ) -> Iterator[list[Any]]:
        """Yield each page of a list resource, following ``X-Pagination-Pagecount``.

        Use change polling (``…/rowversion``) for syncing; paging over a list that changes meanwhile can
        skip or repeat rows, which is fine for lookups only.
        """
        page = 1
        while True:
            query = {**(params or {}), "page": page, "pageSize": page_size}
            response = self.request("GET", path, params=query, operation=operation)
            items = response.json() if response.content.strip() else []
            if not isinstance(items, list):
                raise TransportError("expected a JSON array page", operation=operation or path, status=200)
            yield items
            page_count = int(response.header("X-Pagination-Pagecount") or 1)
            if page >= page_count or not items:
                return
            page += 1

    def get_json_or_none(self, path: str, *, operation: str) -> Any:
        """``GET path`` decoded, or None for a 404 (Hogia's bare ``"Entity not found"``)."""
        try:
            return self.request_json("GET", path, operation=operation)
        except NotFoundError:
            return None

    def iter_models(
        self,
        model: type[M],
        resource: str,
        *,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
    ) -> Iterator[M]:
        """Every item of the list resource ``resource`` as ``model`` (operation ``<resource>.list``)."""
        operation = f"{resource}.list"
        for page in self.iter_pages(resource, params=params, page_size=page_size, operation=operation):
            for item in page:
                yield parse_model(model, item, operation=operation)

    def get_model_or_none(self, model: type[M], resource: str, guid: str | uuid.UUID) -> M | None:
        """``<resource>/<guid>`` as ``model`` (operation ``<resource>.get``), or None for a 404."""
        operation = f"{resource}.get"
        payload = self.get_json_or_none(f"{resource}/{entity_id(guid)}", operation=operation)
        return None if payload is None else parse_model(model, payload, operation=operation)


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
