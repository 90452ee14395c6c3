"""Hogia companies built from the seeded :class:`~jetshop_hogia_simulators.seed.World`.

Every company gets the shop catalogue as articles — each *variant* an article of its own, parents with
attributes left out (Hogia Smart has no variant structure) — plus the three helper articles the
integration books freight, fees and discounts on (FACT: ``fraktavg``, ``expavg``, ``rabatt``), the dated
VAT codes, and a few customers the merchant already had (so "find the contact first" has hits).

Seeded ids are UUID5s of the organisation and the entity's key, so the same seed gives the same ids.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from jetshop_hogia.apimodel.hogia_smart import (
    Address,
    Article,
    ArticlePrice,
    CampaignPrice,
    Company,
    Contact,
    ContactCustomerTerms,
    RoundingMode,
    SalesAccount,
    VatCode,
    ex_vat_price,
    vat_code_for_class,
    vat_code_periods,
    vat_percent,
)
from jetshop_hogia.apimodel.jetshop_orders import DISCOUNT_ARTICLE, FREIGHT_ARTICLE, PAYMENT_FEE_ARTICLE
from jetshop_hogia_simulators.hogia.state import CompanyStore
from jetshop_hogia_simulators.seed import CURRENCY_FACTOR, ArticleSpec, CompanySpec, World

HELPER_ARTICLES: tuple[tuple[str, str], ...] = (
    (FREIGHT_ARTICLE, "Fraktavgift"),
    (PAYMENT_FEE_ARTICLE, "Expeditionsavgift"),
    (DISCOUNT_ARTICLE, "Rabatt"),
)
SALES_ACCOUNT_BY_VAT_CODE = {"MP1": "3001", "MP2": "3002", "MP2R": "3002", "MP3": "3003", "MF": "3004"}
"""BAS accounts for domestic sales at 25 %, 12 %, 6 % and VAT-free."""
SEEDED_CONTACTS = 3


def _seeded_id(organisation_id: str, key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(organisation_id), key))


EXTRA_CURRENCIES: dict[str, tuple[str, ...]] = {"beta": ("NOK",)}
"""Ordinary prices in more currencies, per company client id: Beta also sells through a NOK channel."""


def _article(
    store: CompanyStore, spec: ArticleSpec, now: datetime, today: date, currencies: tuple[str, ...] = ()
) -> Article:
    code = vat_code_for_class(spec.vat_class)
    percent = vat_percent(code, today)
    campaign = (
        CampaignPrice(price=ex_vat_price(spec.campaign_price_inc_vat, percent))
        if spec.campaign_price_inc_vat is not None
        else None
    )
    return Article(
        **store.new_entity_fields(now, _seeded_id(store.organisation_id, f"article/{spec.article_number}")),
        number=spec.article_number,
        name=spec.name,
        unit=spec.unit,
        type="goods",
        vat_code=code,
        sales_accounts=[SalesAccount(number=SALES_ACCOUNT_BY_VAT_CODE[code])],
        prices=[
            ArticlePrice(price=ex_vat_price(spec.price_inc_vat, percent), currency_code="SEK"),
            *(
                ArticlePrice(
                    price=ex_vat_price(spec.price_inc_vat * CURRENCY_FACTOR[code], percent),
                    currency_code=code,
                )
                for code in currencies
            ),
        ],
        campaign_price=campaign,
        stock_balance=Decimal(spec.stock),
        send_to_web_shop=True,
    )


def _helper_article(store: CompanyStore, number: str, name: str, now: datetime) -> Article:
    return Article(
        **store.new_entity_fields(now, _seeded_id(store.organisation_id, f"article/{number}")),
        number=number,
        name=name,
        type="service",
        vat_code="MP1",
        sales_accounts=[SalesAccount(number="3001")],
        prices=[ArticlePrice(price=Decimal("0.00"), currency_code="SEK")],
        send_to_web_shop=False,
    )


def _contacts(store: CompanyStore, world: World, now: datetime) -> list[Contact]:
    contacts = []
    for customer in world.customers[:SEEDED_CONTACTS]:
        number = store.allocate_customer_number()
        contacts.append(
            Contact(
                **store.new_entity_fields(now, _seeded_id(store.organisation_id, f"contact/{number}")),
                number=number,
                company_name=customer.company_name if customer.is_company else None,
                given_name=customer.first_name,
                sur_name=customer.last_name,
                email=customer.email,
                phone=customer.phone,
                country_code=customer.billing_country_code or "SE",
                organisation_number=customer.organisation_number,
                is_company=customer.is_company,
                customer=ContactCustomerTerms(payment_terms=30, selected_currency_code="SEK"),
                addresses=[
                    Address(
                        type="billing",
                        street=customer.billing_address,
                        postal_code=customer.billing_zip_code,
                        city=customer.billing_city,
                        country_code=customer.billing_country_code,
                    )
                ],
            )
        )
    return contacts


def seed_company(spec: CompanySpec, world: World, now: datetime, today: date) -> CompanyStore:
    """One company as the merchant set it up. Prices ex VAT use the VAT rates in force on ``today``."""
    store = CompanyStore(
        company=Company(
            id=spec.organisation_id,
            version=1,
            row_version=1,
            created_date=now,
            updated_date=now,
            name=spec.name,
            organisation_number=spec.organisation_number,
            modules=list(spec.modules),
            rounding_mode=RoundingMode(spec.rounding_mode),
            currency_code="SEK",
        ),
        client_id=spec.client_id,
        client_secret=spec.client_secret,
        row_version=1,
    )
    for code, percent, valid_from, valid_to in vat_code_periods():
        key = f"vatcode/{code}/{valid_from.isoformat()}"
        store.vat_codes.append(
            VatCode(
                **store.new_entity_fields(now, _seeded_id(spec.organisation_id, key)),
                code=code,
                percent=percent,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    currencies = EXTRA_CURRENCIES.get(spec.client_id, ())
    articles = [_article(store, a, now, today, currencies) for a in world.articles if a.sellable]
    articles += [_helper_article(store, number, name, now) for number, name in HELPER_ARTICLES]
    store.articles = {a.id: a for a in articles}
    store.contacts = {c.id: c for c in _contacts(store, world, now)}
    return store


def seed_companies(world: World, now: datetime, today: date) -> list[CompanyStore]:
    """Every company of the world."""
    return [seed_company(spec, world, now, today) for spec in world.companies]
