"""Change polling: ``GET …/{resource}/rowversion?lastKnownRowVersion=N`` (FACT convention).

Every write in a company takes the next value of one ``rowVersion`` counter, and the endpoint lists
rows with ``rowVersion > N`` in ascending order. Paging it by page *number* would be lossy: a row
changed while we page moves from an early page to the end, and every later row shifts one place
forward, so one row is skipped. So this module pages by *keyset*: it always asks for page 1 after the
highest row version seen so far. A row changed meanwhile simply comes again later, with its new version.
Callers store the last yielded ``row_version`` as their watermark.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeVar, overload

from jetshop_hogia.apimodel.hogia_smart import (
    MAX_PAGE_SIZE,
    PAGE_COUNT_HEADER,
    Article,
    Contact,
    CustomerInvoice,
    Entity,
)
from jetshop_hogia_provider.hooks.hogia_rest import HogiaResponseError, HogiaRestCalls, parse_models

ChangeResource = Literal["contacts", "articles", "customerinvoices"]
E = TypeVar("E", bound=Entity)
MODELS: dict[str, type[Entity]] = {
    "contacts": Contact,
    "articles": Article,
    "customerinvoices": CustomerInvoice,
}


class HogiaChangesMixin(HogiaRestCalls):
    """Change polling of :class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`."""

    @overload
    def iter_changes(
        self, resource: Literal["contacts"], last_known_row_version: int, *, page_size: int = ...
    ) -> Iterator[Contact]: ...

    @overload
    def iter_changes(
        self, resource: Literal["articles"], last_known_row_version: int, *, page_size: int = ...
    ) -> Iterator[Article]: ...

    @overload
    def iter_changes(
        self, resource: Literal["customerinvoices"], last_known_row_version: int, *, page_size: int = ...
    ) -> Iterator[CustomerInvoice]: ...

    def iter_changes(
        self, resource: ChangeResource, last_known_row_version: int, *, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[Entity]:
        """Rows of ``resource`` changed after ``last_known_row_version``, ascending by ``row_version``."""
        model = MODELS.get(resource)
        if model is None:
            raise ValueError(f"change polling covers {sorted(MODELS)}, not {resource!r}")
        if last_known_row_version < 0 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError("last_known_row_version must be ≥ 0 and page_size 1–500")
        return self._iter_changes(resource, model, last_known_row_version, page_size)

    def _iter_changes(self, resource: str, model: type[E], after: int, page_size: int) -> Iterator[E]:
        operation = f"{resource}.rowversion"
        while True:
            response = self.request(
                "GET",
                f"{resource}/rowversion",
                params={"lastKnownRowVersion": after, "page": 1, "pageSize": page_size},
                operation=operation,
            )
            rows = parse_models(
                model, response.json() if response.content.strip() else [], operation=operation
            )
            for row in rows:
                if row.row_version <= after:
                    raise HogiaResponseError(
                        f"rowVersion {row.row_version} is not after {after}: the answer is not ascending",
                        operation=operation,
                    )
                after = row.row_version
                yield row
            if not rows or int(response.header(PAGE_COUNT_HEADER) or 1) <= 1:
                return
