"""Plugin: translate shop article numbers to Hogia article numbers with a table.

For merchants whose Hogia article register predates the shop and uses other numbers. Articles not in
the table pass unchanged. ``article_map`` declares the table so that the transform's vectorised
``unknown_article`` check already looks for the translated numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jetshop_hogia.mapping.context import MappingContext
from jetshop_hogia.mapping.draft import InvoiceDraft


def _table(params: Mapping[str, Any]) -> dict[str, str]:
    table = params.get("table")
    if not isinstance(table, Mapping):
        raise ValueError("map_article_numbers needs params.table: {shop article: Hogia article}")
    return {str(source): str(target) for source, target in table.items()}


def map_article_numbers(
    draft: InvoiceDraft, params: Mapping[str, Any], context: MappingContext
) -> InvoiceDraft:
    """Params: ``table`` mapping shop article numbers to Hogia article numbers."""
    table = _table(params)
    lines = [
        {**line, "articleNumber": table.get(line["articleNumber"], line["articleNumber"])}
        if line.get("lineType") == "article"
        else line
        for line in draft.lines
    ]
    return draft.with_lines(lines)


def _declared_map(params: Mapping[str, Any]) -> Mapping[str, str]:
    return _table(params)


map_article_numbers.article_map = _declared_map  # type: ignore[attr-defined]
