"""Hogia's answers and its three error shapes (FACT): ProblemDetails, the 422 array, a bare string.

Handlers never build error bodies themselves; they raise :class:`EarlyResponse` with one of these, so
every error of the simulator has exactly the shape a hook must be able to parse.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from jetshop_hogia.apimodel.hogia_smart import (
    MAX_PAGE_SIZE,
    PAGE_COUNT_HEADER,
    PAGE_HEADER,
    BusinessError,
    HogiaModel,
    ProblemDetails,
)

JSON_TYPE = "application/json; charset=utf-8"
PROBLEM_TYPE = "application/problem+json; charset=utf-8"
DEFAULT_PAGE_SIZE = 100
NOT_FOUND_TEXT = "Entity not found"
TYPE_BY_STATUS = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
    503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
}
M = TypeVar("M", bound=BaseModel)


class EarlyResponse(Exception):
    """Raised anywhere in a handler to answer with ``response`` right away."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def trace_id() -> str:
    """A W3C trace id the way ASP.NET puts it in ProblemDetails."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def json_response(payload: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer from plain data."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type=JSON_TYPE, headers=headers)


def model_response(model: HogiaModel, status_code: int = 200) -> Response:
    """A camelCase JSON answer from one model (pydantic-core serialises it: fast)."""
    return Response(model.model_dump_json(by_alias=True), status_code=status_code, media_type=JSON_TYPE)


def models_body(models: Iterable[HogiaModel]) -> bytes:
    """A JSON array of models."""
    return b"[" + b",".join(m.__pydantic_serializer__.to_json(m, by_alias=True) for m in models) + b"]"


def guid_response(entity_id: str, location: str) -> Response:
    """201 with the new entity's GUID as a bare JSON string (FACT: how Hogia answers a create)."""
    return Response(
        json.dumps(entity_id), status_code=201, media_type=JSON_TYPE, headers={"Location": location}
    )


def not_found(text: str = NOT_FOUND_TEXT) -> Response:
    """404 with a bare JSON string (FACT)."""
    return Response(json.dumps(text), status_code=404, media_type=JSON_TYPE)


def problem(
    status_code: int,
    title: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An RFC 9457 ProblemDetails answer with ASP.NET's ``traceId``."""
    body = ProblemDetails(
        type=TYPE_BY_STATUS.get(status_code),
        title=title,
        status=status_code,
        errors=errors,
        trace_id=trace_id(),
    )
    return Response(
        body.model_dump_json(by_alias=True, exclude_none=True),
        status_code=status_code,
        media_type=PROBLEM_TYPE,
        headers=headers,
    )


def validation_problem(errors: dict[str, list[str]]) -> Response:
    """400 with ``errors: {field: [message]}`` (FACT: ASP.NET's validation answer)."""
    return problem(400, "One or more validation errors occurred.", errors=errors)


def rate_limited(retry_after_seconds: int) -> Response:
    """429 with ``Retry-After`` in whole seconds and a ProblemDetails body."""
    return problem(429, "Too Many Requests", headers={"Retry-After": str(retry_after_seconds)})


def injected_error(status_code: int, message: str) -> Response:
    """The body of an injected 5xx: a ProblemDetails, as ASP.NET's exception handler writes."""
    return problem(status_code, message)


def unauthorized() -> Response:
    """401 as the JWT bearer handler answers: no body, a ``WWW-Authenticate`` challenge."""
    return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def forbidden() -> Response:
    """403: the token is valid but not for this organisation."""
    return Response(status_code=403)


def business_errors(errors: Sequence[tuple[str, str | None, str]]) -> Response:
    """422 with the array shape; ``errors`` are (errorCode, errorScopeId, message)."""
    items = [
        BusinessError(error_code=code, error_scope_id=scope, message=message, sequential_id=index)
        for index, (code, scope, message) in enumerate(errors, start=1)
    ]
    return Response(models_body(items), status_code=422, media_type=JSON_TYPE)


def field_path(loc: Sequence[int | str]) -> str:
    """pydantic's ``loc`` as ASP.NET names a field: ``invoiceLines[0].articleNumber``; ``$`` for the body."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def errors_by_field(
    errors: Iterable[Mapping[str, Any]], *, skip_prefix: bool = False
) -> dict[str, list[str]]:
    """pydantic/FastAPI errors grouped by field path; ``skip_prefix`` drops FastAPI's ``body``/``query``."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc", ()))
        if skip_prefix and loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        grouped.setdefault(field_path(loc), []).append(message)
    return grouped


async def read_body(request: Request, model: type[M]) -> M:
    """Parse and validate the JSON body (exact decimals), or answer 400 with the field errors."""
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise EarlyResponse(validation_problem(errors_by_field(exc.errors(include_url=False)))) from None


def int_query(
    request: Request, name: str, default: int | None, *, minimum: int, maximum: int | None = None
) -> int:
    """An integer query parameter within bounds, or 400 naming the parameter."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is None:
            raise EarlyResponse(validation_problem({name: [f"The {name} field is required."]}))
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EarlyResponse(validation_problem({name: [f"The value '{raw}' is not valid."]})) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise EarlyResponse(validation_problem({name: [f"The field {name} must be {bounds}."]}))
    return value


def date_query(request: Request, name: str) -> date | None:
    """A ``YYYY-MM-DD`` query filter (None when absent), or 400 naming the parameter."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise EarlyResponse(validation_problem({name: [f"The value '{raw}' is not a valid date."]})) from None


def bool_query(request: Request, name: str) -> bool | None:
    """A ``true``/``false`` query filter (None when absent), or 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise EarlyResponse(validation_problem({name: [f"The value '{raw}' is not valid."]}))


def paged_response(request: Request, items: Sequence[HogiaModel]) -> Response:
    """One page of ``items`` (``page`` 1-based, ``pageSize`` ≤ 500) with the pagination headers (FACT)."""
    page = int_query(request, "page", 1, minimum=1)
    size = int_query(request, "pageSize", DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE)
    page_count = math.ceil(len(items) / size)
    chunk = items[(page - 1) * size : page * size]
    headers = {PAGE_HEADER: str(page), PAGE_COUNT_HEADER: str(page_count)}
    return Response(models_body(chunk), media_type=JSON_TYPE, headers=headers)
