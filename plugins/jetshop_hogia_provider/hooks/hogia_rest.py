"""What the Hogia Smart resource modules share: the request contract, typed parsing and JSON bodies.

The resource modules (:mod:`.hogia_company`, :mod:`.hogia_contacts`, :mod:`.hogia_articles`,
:mod:`.hogia_changes`, :mod:`.hogia_invoices`) are mixins of
:class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`; :class:`HogiaRestCalls` declares the
hook's ``request`` they build on and the reads made from it. Answers are parsed into the shared models of
``jetshop_hogia.apimodel.hogia_smart``; a mismatch raises :class:`HogiaResponseError` naming the field
but never the value (pydantic's own messages quote the input: customer names, e-mails).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jetshop_hogia.apimodel.hogia_base import to_wire_time
from jetshop_hogia.errors import UnreadableResponseError
from jetshop_hogia_provider.transport import (
    AmbiguousWriteError,
    NotFoundError,
    TransientError,
    TransportResponse,
    UnprocessableError,
)

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3


class HogiaResponseError(UnreadableResponseError):
    """Hogia answered 2xx, but the body does not fit the model (a changed API version, a broken proxy)."""


def decode_json(response: TransportResponse, *, parse_float: Callable[[str], Any] = Decimal) -> Any:
    """The body as JSON (fractions as Decimal); None for an empty body.

    A body that is not JSON — an HTML page from a proxy or a login portal answering 200, a cut-off
    answer — is a :class:`HogiaResponseError` naming the operation, the HTTP status and the content
    type, never a bare ``JSONDecodeError`` and never a quote of the body.
    """
    if not response.content.strip():
        return None
    try:
        return json.loads(response.content, parse_float=parse_float)
    except (ValueError, UnicodeDecodeError):
        kind = response.content_type or "no content type"
        raise HogiaResponseError(
            f"answer is not JSON ({kind}, {len(response.content)} bytes)",
            operation=response.operation,
            status=response.status,
            response=response,
            attempts=response.attempts,
        ) from None


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
        return decode_json(self.request(method, path, **kwargs))

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
            items = decode_json(response)
            items = [] if items is None else items
            if not isinstance(items, list):
                raise HogiaResponseError(
                    "expected a JSON array page", operation=response.operation, status=response.status
                )
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
    """The id of the contact or article ``create`` makes, created at most once.

    Hogia honours no idempotency key (MODEL), so a POST whose answer was lost may or may not have been
    applied. Optionally look the record up by its natural key first; create; after a lost answer
    (:class:`AmbiguousWriteError`, or a 422 right after one) look it up: found → its id, not found →
    create again, at most ``max_attempts`` times, then :class:`NotCreatedError`. Without a ``look_up`` a
    lost answer is re-raised: retrying would risk a duplicate.

    Invoices do not use this: the order stream's ``streams.orders.pushing.push_invoice`` is the one
    implementation for them (it turns each failure into an outcome the state ledger records).
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if look_up_first and look_up is not None and (found := look_up()) is not None:
        return found
    lost = False
    for attempt in range(1, max_attempts + 1):
        try:
            return create()
        except AmbiguousWriteError:
            if look_up is None:
                raise
            lost = True
            log.warning("%s: answer of attempt %d lost; looking the record up", operation, attempt)
        except UnprocessableError:
            if not lost or look_up is None or (found := look_up()) is None:
                raise
            return found
        if (found := look_up()) is not None:
            return found
    raise NotCreatedError(
        f"{max_attempts} attempts lost their answers and none had been applied; nothing was created",
        operation=operation,
        attempts=max_attempts,
    )
