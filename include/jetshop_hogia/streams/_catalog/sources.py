"""Reads several catalog streams share: Hogia's web-shop articles, each shop's article numbers, the day.

Each read goes to a file under the run directory; the steps after it read the file, never the API.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jetshop_hogia.apimodel.hogia_smart import Article
from jetshop_hogia.kernel.stream import StreamRun


def run_day(run: StreamRun) -> date:
    """The tenant-local day the run's window ends in (prices and VAT rates are taken on this day)."""
    last = run.window.end - timedelta(microseconds=1)
    return last.astimezone(ZoneInfo(run.tenant.timezone)).date()


def fetch_hogia_articles(run: StreamRun, stream: str, *, web_shop_only: bool = True) -> str:
    """Every Hogia article (``web_shop_only``: flagged "send to web shop"), to a file; returns its URI."""
    hogia = run.resources.hogia()
    flag = True if web_shop_only else None
    rows = [
        article.model_dump(mode="json", by_alias=True)
        for article in hogia.iter_articles(send_to_web_shop=flag)
    ]
    return run.write_json(f"catalog/{stream}/hogia_articles.json", rows)


def read_hogia_articles(run: StreamRun, location: str) -> list[Article]:
    """The articles written by :func:`fetch_hogia_articles`."""
    return [Article.model_validate(raw) for raw in run.read_json(location)]


def fetch_company_currency(run: StreamRun) -> str:
    """The Hogia company's currency (campaign prices are in it)."""
    return str(run.resources.hogia().company().currency_code)


def fetch_shop_numbers(run: StreamRun, stream: str, shop_id: str) -> str:
    """Every article number the shop has (the change list read from the start), to a file."""
    jetshop = run.resources.jetshop(shop_id)
    numbers = sorted({change.article_number for change in jetshop.iter_changed_products(None)})
    return run.write_json(f"catalog/{stream}/{shop_id}/shop_articles.json", numbers)


def fetch_per_shop(run: StreamRun, stream: str) -> dict[str, Any]:
    """Article numbers of every shop; a shop that cannot be read is reported and left out."""
    shops: dict[str, Any] = {}
    for shop in run.tenant.shops:
        try:
            shops[shop.id] = {"numbers": fetch_shop_numbers(run, stream, shop.id)}
        except Exception as error:  # one unreachable shop must not stop the others
            shops[shop.id] = {"error": f"{type(error).__name__}: {error}"[:500]}
    return shops
