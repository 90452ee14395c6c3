"""``make demo-scenario ARGS="go-live-assortment"``: an assortment from before go-live, for the initial sync.

The demo's catalog is synced by the scheduled ``products_to_hogia`` stream minutes after ``make demo``,
so an initial sync there finds every article matching. Going live for real, the merchant's web shop
already holds products saved long ago. This scenario puts such an assortment into Alpha's shop
(``alpha_shop_led``: Jetshop leads products) through the simulators' admin APIs only:

- :data:`ASSORTMENT` — 12 products, one with three variants (each variant its own Hogia article), all
  last changed :data:`DAYS_OLD` days before the simulators' now. The scheduled stream reads only what
  changed since its window (less an hour), so it does not send them; ``initial_sync_alpha_shop_led``
  does (and the nightly full compare would).
- :data:`CONFLICT` — one of them the merchant had already made in Hogia under another name: the dry run
  lists it as conflicting.

Article numbers start with ``GL`` (the seeded catalog's are digits; the re-drive scenario uses
``9100``…), so they clash with nothing. It runs once per demo start: a second run is refused with a
message, since the shop has the articles by then.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import requests

from jetshop_hogia.apimodel.hogia_smart import vat_code_for_class
from jetshop_hogia.catalog.products import hogia_price
from jetshop_hogia.vat import VatClass, vat_rate
from jetshop_hogia_simulators.demo.environment import AIRFLOW_PORT
from jetshop_hogia_simulators.demo.sim_admin import TIMEOUT, exists, organisation_id
from jetshop_hogia_simulators.jetshop.assortment import variant_number
from jetshop_hogia_simulators.jetshop.seeding import ex_vat

TENANT = "alpha_shop_led"
SHOP = "alpha"
HOGIA_CLIENT = "alpha"
"""Alpha's Hogia company (``hogia_alpha`` in include/tenants/alpha_shop_led.yaml)."""
CULTURE = "sv-SE"
CURRENCY = "SEK"
DAYS_OLD = 14


@dataclass(frozen=True)
class Item:
    """A product of the old assortment; ``variants`` makes it a parent whose variants are the articles."""

    number: str
    name: str
    price_inc_vat: str
    stock: int = 10
    variants: tuple[str, ...] = ()


ASSORTMENT: tuple[Item, ...] = (
    Item("GL100", "Odlingslåda Cederträ", "649.00", 6),
    Item("GL101", "Fröpåse Tomat", "29.00", 120),
    Item("GL102", "Fröpåse Basilika", "24.00", 80),
    Item("GL103", "Planteringsspade Rostfri", "189.00", 25),
    Item("GL104", "Trädgårdshandskar Läder", "149.00", 40),
    Item("GL105", "Sekatör Bypass", "299.00", 18),
    Item("GL106", "Kompostkvarn 160 l", "1195.00", 3),
    Item("GL107", "Bevattningsslang 20 m", "399.00", 12),
    Item("GL108", "Fågelholk Mes", "229.00", 9),
    Item("GL109", "Växtstöd Bambu 10-pack", "59.00", 60),
    Item("GL110", "Krukfat Terrakotta", "79.00", variants=("20 cm", "30 cm", "40 cm")),
    Item("GL111", "Trädgårdsbänk Ek", "2495.00", 2),
)
CONFLICT = "GL111"
HOGIA_NAME = "Parkbänk Ek"
"""The name the merchant gave :data:`CONFLICT` in Hogia long ago; the shop calls it differently."""


def articles() -> list[str]:
    """The Hogia articles the assortment gives: plain products and variants (a parent is no article)."""
    numbers: list[str] = []
    for item in ASSORTMENT:
        numbers += [variant_number(item.number, v) for v in item.variants] if item.variants else [item.number]
    return numbers


def new_articles() -> list[str]:
    """The articles Hogia does not have: the initial sync creates them."""
    return [number for number in articles() if number != CONFLICT]


def _variant_price(item: Item, index: int) -> Decimal:
    return Decimal(item.price_inc_vat) + 20 * index


def product_body(item: Item, modified: datetime) -> dict[str, object]:
    """What ``POST /_admin/products/{shop}`` gets for one item (25 % VAT, variants 20 kr apart)."""
    return {
        "article_number": item.number,
        "names": {CULTURE: item.name},
        "vat_class": VatClass.STANDARD.value,
        "price_inc_vat": item.price_inc_vat,
        "stock": item.stock if not item.variants else 0,
        "variants": [
            {"value": value, "price_inc_vat": str(_variant_price(item, i)), "stock": item.stock}
            for i, value in enumerate(item.variants)
        ],
        "modified": modified.isoformat(),
    }


def hogia_conflict_article(now: datetime) -> dict[str, object]:
    """:data:`CONFLICT` as the merchant made it in Hogia: same VAT and price as the shop, another name."""
    item = next(i for i in ASSORTMENT if i.number == CONFLICT)
    price = hogia_price(ex_vat(Decimal(item.price_inc_vat), vat_rate(VatClass.STANDARD, now.date())))
    return {
        "number": CONFLICT,
        "name": HOGIA_NAME,
        "type": "goods",
        "vatCode": vat_code_for_class(VatClass.STANDARD),
        "salesAccounts": [{"number": "3001"}],
        "prices": [{"price": str(price), "currencyCode": CURRENCY}],
        "stockBalance": str(item.stock),
        "sendToWebShop": False,  # as alpha_shop_led writes its articles (catalog.send_to_web_shop)
    }


class AlreadyThere(Exception):
    """The scenario ran before in this demo: the shop (or Hogia) has its articles."""


def set_up(session: requests.Session, jetshop: str, hogia: str) -> datetime:
    """Create the assortment in shop alpha and the conflicting article in Hogia; returns the products'
    change time. Raises :class:`AlreadyThere` (nothing written) when either side has them already."""
    organisation = organisation_id(session, hogia, HOGIA_CLIENT)
    first = ASSORTMENT[0].number
    if exists(session, f"{jetshop}/_admin/products/{SHOP}/{first}"):
        raise AlreadyThere(f"shop {SHOP} already has article {first}")
    if exists(session, f"{hogia}/_admin/articles/{organisation}/{CONFLICT}"):
        raise AlreadyThere(f"Hogia (company of {TENANT}) already has article {CONFLICT}")
    clock = session.get(f"{jetshop}/_admin/clock", timeout=TIMEOUT)
    clock.raise_for_status()
    now = datetime.fromisoformat(clock.json()["now_utc"])
    modified = now - timedelta(days=DAYS_OLD)
    session.post(
        f"{hogia}/_admin/articles/{organisation}", json=hogia_conflict_article(now), timeout=TIMEOUT
    ).raise_for_status()
    for item in ASSORTMENT:
        session.post(
            f"{jetshop}/_admin/products/{SHOP}", json=product_body(item, modified), timeout=TIMEOUT
        ).raise_for_status()
    return modified


def _cli(conf: str | None) -> str:
    args = f"dags trigger initial_sync_{TENANT}"
    return f'make airflow ARGS="{args}"' if conf is None else f"make airflow ARGS=\"{args} --conf '{conf}'\""


def overwrite_cli() -> str:
    """The real run overwriting the conflict, through make (the quotes survive make and the shell)."""
    return _cli('{\\"dry_run\\": false, \\"conflict_policy\\": \\"overwrite\\"}')


def next_steps() -> str:
    """How to preview and run the initial sync, and what its report log then says."""
    created, total = len(new_articles()), len(articles())
    return f"""Next steps (Airflow UI http://localhost:{AIRFLOW_PORT}):
  1. Preview: Dags → initial_sync_{TENANT} → Trigger → keep "dry run" ticked, conflict policy
     "report" → Trigger. When the run is green, open task report → Logs:
       initial sync jetshop_to_hogia (DRY RUN — nothing was written), conflict policy report: …
       matched …, created {created}, updated 0, conflicting 1, skipped 0, failed 0
       created: {", ".join(new_articles()[:3])}, …
       conflicting: {CONFLICT}
         {CONFLICT} (conflicting): differs in name
     ("created" in a dry run: would be created; "matched" is the demo's own catalog, already synced.)
  2. Run it: Trigger again with "dry run" unticked and conflict policy "skip" (Hogia keeps
     "{HOGIA_NAME}": skipped 1) or "overwrite" (the shop's name is written over it: updated 1).
     The {created} new articles are then in Hogia. Trigger once more: nothing is created again (after
     "overwrite" all {total} match; after "skip" {CONFLICT} is reported again, as Hogia still differs).
  3. The same from the command line:
       {_cli(None)}
       {overwrite_cli()}"""


def describe(modified: datetime) -> str:
    """What ``go-live-assortment`` prints: what it made and the next steps."""
    variants = "; ".join(f"{i.number} has {len(i.variants)} variants" for i in ASSORTMENT if i.variants)
    listed = textwrap.fill(", ".join(articles()), width=100, initial_indent="  ", subsequent_indent="  ")
    return f"""Added {len(ASSORTMENT)} products to shop {SHOP} (tenant {TENANT}), {ASSORTMENT[0].number}…\
{ASSORTMENT[-1].number}, last changed {modified:%Y-%m-%d} ({DAYS_OLD} days ago).
{variants} (each variant its own article), so they are {len(articles())} Hogia articles:
{listed}
Already in Hogia under another name: {CONFLICT} "{HOGIA_NAME}" (the shop says "{ASSORTMENT[-1].name}").
The scheduled sync_{TENANT} reads only products changed since its last window, so it leaves these
  {len(new_articles())} new articles out of Hogia (until the nightly full compare at 02:00): bringing
  them over is the initial sync's job. (Only its very first run after make demo reads the whole shop:
  add the assortment after that run is green.)
{next_steps()}"""


def refused(reason: str) -> str:
    """What a second ``go-live-assortment`` says (on stderr) instead of doing anything."""
    return f"""Nothing done: {reason} — the go-live assortment was added before (once per demo start).
Its next steps still apply; to start from scratch, restart the demo (make demo).
{next_steps()}"""
