"""``make demo-scenario ARGS="…"``: set the running demo up for a manual DAG an ops person wants to try.

The demo's orders always map, so out of the box there is nothing to re-drive. These scenarios make the
situation a merchant really runs into, through the simulators' admin APIs only (what a shopper or the
merchant does; nothing in the integration's state is touched):

``quarantine-order``
    A shopper buys a new article the merchant put in the Beta web shop but never created in Hogia. Beta
    (``beta_erp_led``) is Hogia-led: articles are made in Hogia, so the order stream quarantines the order
    as ``unknown_article`` on the next ``sync_beta_erp_led`` run.
``fix-order``
    The merchant creates that article in Hogia (the fix). The order stays quarantined until someone
    re-drives it (``redrive_quarantine``); then it is invoiced once.

``go-live-assortment``
    The Alpha web shop (``alpha_shop_led``, Jetshop-led) holds an assortment saved before go-live, which
    the scheduled product stream does not pick up, and Hogia has one of its articles under another
    name: something for ``initial_sync_alpha_shop_led`` to preview and copy (see :mod:`.go_live`).

Each ``quarantine-order`` uses the first scenario article (``9100``, ``9101`` …) Hogia does not have yet;
``fix-order`` creates exactly that one, so the two commands pair up however often they are repeated.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import requests

from jetshop_hogia.apimodel.hogia_smart import ex_vat_price, vat_code_for_class, vat_percent
from jetshop_hogia.vat import VatClass
from jetshop_hogia_simulators.demo import go_live
from jetshop_hogia_simulators.demo.environment import HOGIA_PORT, JETSHOP_PORT
from jetshop_hogia_simulators.demo.sim_admin import TIMEOUT, exists, organisation_id
from jetshop_hogia_simulators.seed import CURRENCY_FACTOR

TENANT = "beta_erp_led"
SHOP = "beta"
HOGIA_CLIENT = "beta"
"""Beta's Hogia company (``hogia_beta`` in include/tenants/beta_erp_led.yaml)."""
CURRENCIES = ("SEK", "NOK")
"""The currencies of Beta's channels: a Hogia article for the web shop has a price in each."""
ARTICLE_NAME = "Fröpåse Solros"
PRICE_INC_VAT = Decimal("39.00")
PROCESSING = 2
"""The order status Beta invoices on (``order_trigger_statuses``)."""


@dataclass(frozen=True)
class Urls:
    """Where the simulators listen (the demo's ports by default)."""

    jetshop: str = f"http://127.0.0.1:{JETSHOP_PORT}"
    hogia: str = f"http://127.0.0.1:{HOGIA_PORT}"


@dataclass(frozen=True)
class PlacedOrder:
    """The order ``quarantine-order`` placed."""

    order_id: int
    order_number: str
    article: str


def pending_article(session: requests.Session, urls: Urls, organisation: str | None = None) -> str:
    """The first scenario article number Hogia does not know (``9100``, ``9101`` …)."""
    organisation = organisation or organisation_id(session, urls.hogia, HOGIA_CLIENT)
    for number in range(9100, 10_000):
        if not exists(session, f"{urls.hogia}/_admin/articles/{organisation}/{number}"):
            return str(number)
    raise SystemExit("every scenario article 9100–9999 exists in Hogia; restart the demo (make demo)")


def quarantine_order(session: requests.Session, urls: Urls) -> PlacedOrder:
    """Place a Beta order for an article Hogia lacks and release it for invoicing (status Processing)."""
    article = pending_article(session, urls)
    basket = [{"article_number": article, "name": ARTICLE_NAME, "price_inc_vat": str(PRICE_INC_VAT)}]
    placed = session.post(
        f"{urls.jetshop}/_admin/orders",
        json={"shop_id": SHOP, "count": 1, "articles": basket},
        timeout=TIMEOUT,
    )
    placed.raise_for_status()
    order = placed.json()["orders"][0]
    session.post(
        f"{urls.jetshop}/_admin/orders/{SHOP}/{order['order_id']}/status",
        json={"status_id": PROCESSING},
        timeout=TIMEOUT,
    ).raise_for_status()
    return PlacedOrder(order["order_id"], order["order_number"], article)


def hogia_article(number: str, today: date) -> dict[str, object]:
    """The article as the merchant creates it in Hogia: 25 % VAT, a price per channel currency."""
    code = vat_code_for_class(VatClass.STANDARD)
    percent = vat_percent(code, today)
    prices = [
        {"price": str(ex_vat_price(PRICE_INC_VAT * CURRENCY_FACTOR[c], percent)), "currencyCode": c}
        for c in CURRENCIES
    ]
    return {
        "number": number,
        "name": ARTICLE_NAME,
        "type": "goods",
        "vatCode": code,
        "salesAccounts": [{"number": "3001"}],
        "prices": prices,
        "stockBalance": "25",
        "sendToWebShop": True,
    }


def fix_order(session: requests.Session, urls: Urls, today: date) -> str:
    """Create the pending scenario article in Hogia; returns its number."""
    organisation = organisation_id(session, urls.hogia, HOGIA_CLIENT)
    article = pending_article(session, urls, organisation)
    created = session.post(
        f"{urls.hogia}/_admin/articles/{organisation}", json=hogia_article(article, today), timeout=TIMEOUT
    )
    created.raise_for_status()
    return article


def _redrive_cli(order_number: str) -> str:
    conf = f'{{\\"tenant\\": \\"{TENANT}\\", \\"order_numbers\\": [\\"{order_number}\\"]}}'
    return f"make airflow ARGS=\"dags trigger redrive_quarantine --conf '{conf}'\""


def describe_quarantine(order: PlacedOrder) -> str:
    """What ``quarantine-order`` prints: the order, what is wrong and the next steps."""
    return f"""Placed order {order.order_number} (Jetshop id {order.order_id}),
  shop {SHOP}, tenant {TENANT}.
What is wrong: its line "{ARTICLE_NAME}" has article {order.article}, which the merchant added to the web
  shop but never created in Hogia. {TENANT} is Hogia-led, so the order cannot be invoiced: it will be
  quarantined as unknown_article.
Next steps:
  1. Wait for the next run of sync_{TENANT} (every 5 minutes), then see it in quarantine:
       make quarantine ARGS="list --tenant {TENANT}"
  2. Fix the cause (the merchant creates article {order.article} in Hogia):
       make demo-scenario ARGS="fix-order"
  3. Re-drive it: Airflow UI → Dags → redrive_quarantine → Trigger → tenant {TENANT},
     order numbers {order.order_number} (one per line) → Trigger; or
       {_redrive_cli(order.order_number)}
     Task redrive's log then says: 1 invoiced."""


def describe_fix(article: str) -> str:
    """What ``fix-order`` prints."""
    return f"""Created article {article} "{ARTICLE_NAME}" in Hogia (company of {TENANT}),
  with SEK and NOK prices.
The orders quarantined for it stay quarantined until re-driven (the next run does not re-read them):
  Airflow UI → Dags → redrive_quarantine → Trigger → tenant {TENANT}, reason unknown_article → Trigger
  (or list the order numbers: make quarantine ARGS="list --tenant {TENANT}")."""


def _go_live(session: requests.Session, urls: Urls) -> int:
    try:
        modified = go_live.set_up(session, urls.jetshop, urls.hogia)
    except go_live.AlreadyThere as why:
        print(go_live.refused(str(why)), file=sys.stderr)
        return 1
    print(go_live.describe(modified))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog='make demo-scenario ARGS="…"', description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("scenario", choices=["quarantine-order", "fix-order", "go-live-assortment"])
    args = parser.parse_args(argv)
    urls = Urls()
    try:
        with requests.Session() as session:
            if args.scenario == "quarantine-order":
                print(describe_quarantine(quarantine_order(session, urls)))
            elif args.scenario == "go-live-assortment":
                return _go_live(session, urls)
            else:
                print(describe_fix(fix_order(session, urls, date.today())))
    except requests.ConnectionError:
        print("the demo's simulators are not running: start them with make demo", file=sys.stderr)
        return 1
    return 0
