"""The tenant configuration schema: one validated object per ``include/tenants/<tenant_id>.yaml``.

Every field is checked on its own here (types, formats, ranges, unknown keys); rules that relate several
fields — what a plan allows, what a flow allows — live in :mod:`jetshop_hogia.config.rules` so that each
violation can name the exact field it is about. The models are frozen: a configuration is read once per
parse or task and must not drift while a run uses it.
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jetshop_hogia.config.catalog import CatalogConfig
from jetshop_hogia.config.operations import OperationsConfig

DEFAULT_TIMEZONE = "Europe/Stockholm"
DEFAULT_SCHEDULE = "*/15 * * * *"
"""Every 15 minutes, like the paid service's polling cadence."""

TENANT_ID_PATTERN = r"^[a-z][a-z0-9_]{0,47}$"
"""Lower-case and short: the id becomes part of DAG ids, pool names and storage paths."""

_PLUGIN_PATH = re.compile(r"^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*|[a-z][a-z0-9_]*)$")
_UNSCHEDULABLE_PRESETS = frozenset({"@once", "@continuous", "none"})
_MAX_YEARS_BETWEEN_RUNS = 5
"""A schedule must fire at least once in this many years (29 February every 4 years still passes)."""


class Flow(enum.StrEnum):
    """Which system leads (seed: Flöde #1–#3)."""

    SHOP_LED = "shop_led"
    ERP_LED = "erp_led"
    COMBO = "combo"


class Plan(enum.IntEnum):
    """The Sharespine package a tenant pays for; it gates features (see ``rules.FEATURE_MIN_PLAN``)."""

    P100 = 100
    P200 = 200
    P400 = 400
    P800 = 800


class MatchOn(enum.StrEnum):
    """Which shop field finds the customer in Hogia (the mapping uses this same enum)."""

    EMAIL = "email"
    CUSTOMER_NUMBER = "customer_number"


class HogiaStatus(enum.StrEnum):
    """Hogia invoice events that can be fed back to Jetshop (seed: Levererad/Fakturerad/Betald/Makulerad)."""

    DELIVERED = "delivered"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


class _Strict(BaseModel):
    """Base: unknown keys are errors (a typo must not silently become a default), objects are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


ConnectionId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]{1,200}$")]
JetshopStatusId = Annotated[int, Field(ge=1, le=10_000)]


class ChannelConfig(_Strict):
    """A Jetshop channel ("Kanal"): its id, currency and price list (no list operation exists, FACT)."""

    channel_id: int = Field(ge=1, le=10_000)
    currency: str = Field(description="ISO 4217 code, e.g. SEK")
    price_list: UUID | None = Field(default=None, description="The channel's Jetshop price-list GUID")
    tag: str | None = Field(default=None, max_length=50, description="channelTag written on Hogia invoices")

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("must be a three-letter ISO 4217 code in capitals, e.g. SEK")
        return value

    @property
    def invoice_tag(self) -> str:
        """The channel's name on Hogia invoices: its ``tag``, or its id when the tenant gave none."""
        return self.tag or str(self.channel_id)


class ShopConfig(_Strict):
    """One Jetshop shop = one set of Basic credentials, kept in an Airflow connection of type ``jetshop``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Short name, unique within the tenant")
    connection_id: ConnectionId
    channels: list[ChannelConfig] = Field(min_length=1)

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, channels: list[ChannelConfig]) -> list[ChannelConfig]:
        ids = [c.channel_id for c in channels]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"channel_id {duplicates} listed more than once")
        return channels


class HogiaConfig(_Strict):
    """The tenant's one Hogia Smart company, reached through an Airflow connection of type ``hogia_smart``."""

    connection_id: ConnectionId


class CustomerMatching(_Strict):
    """How a Jetshop customer is found in Hogia, and whether an unknown one may be created."""

    match_on: MatchOn = MatchOn.EMAIL
    create_missing: bool = True


class StatusFeedback(_Strict):
    """What Jetshop gets when a Hogia invoice reaches one status."""

    jetshop_status_id: JetshopStatusId
    send_mail: bool = False
    send_tracking: bool = False
    capture_payment: bool = False


class OrderStatusFeedback(_Strict):
    """Order status Hogia → Jetshop (seed: "Valbart", package 200): per Hogia event, the Jetshop reaction.

    Consistency with flow and plan is checked in ``rules`` so the error can name the exact field.
    """

    enabled: bool = True
    statuses: dict[HogiaStatus, StatusFeedback] = Field(default_factory=dict)
    authorization_days: int = Field(
        default=28, ge=1, le=365, description="Card/Klarna authorisation lifetime"
    )
    authorization_warning_days: int = Field(
        default=3, ge=0, le=60, description="Flag this long before expiry"
    )


class PluginRef(_Strict):
    """A mapping plugin: ``package.module:function`` (or a registered short name) and its parameters."""

    plugin: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, raw: Any) -> Any:
        """Accept the shorthand ``- pkg.mod:func`` besides ``- {plugin: pkg.mod:func, params: {...}}``."""
        return {"plugin": raw} if isinstance(raw, str) else raw

    @field_validator("plugin")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        if not _PLUGIN_PATH.match(value):
            raise ValueError(f"{value!r} is neither 'package.module:function' nor a short plugin name")
        return value


class PoolSlots(_Strict):
    """Concurrent tasks this tenant may run against each API (Hogia allows 25 requests / 5 s per client)."""

    jetshop: int = Field(default=2, ge=1, le=32)
    hogia: int = Field(default=1, ge=1, le=32)


class TenantConfig(_Strict):
    """One merchant: which flow, which shops and Hogia company, what triggers a transfer, what runs."""

    tenant_id: str = Field(pattern=TENANT_ID_PATTERN)
    name: str | None = Field(default=None, max_length=200, description="Merchant name for the DAG docs")
    flow: Flow
    plan: Plan
    timezone: str = DEFAULT_TIMEZONE
    schedule: str = DEFAULT_SCHEDULE
    start_date: date = date(2026, 1, 1)
    shops: list[ShopConfig] = Field(min_length=1)
    hogia: HogiaConfig
    order_trigger_statuses: list[JetshopStatusId] = Field(min_length=1)
    customer_matching: CustomerMatching = CustomerMatching()
    order_status_feedback: OrderStatusFeedback | None = None
    streams: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]] = Field(min_length=1)
    mapping_plugins: list[PluginRef] = Field(default_factory=list)
    catalog: CatalogConfig = CatalogConfig()
    pool_slots: PoolSlots = PoolSlots()
    operations: OperationsConfig = OperationsConfig()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. 'Europe/Stockholm')") from None
        return value

    @field_validator("schedule")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        problem = _schedule_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("shops")
    @classmethod
    def _unique_shops(cls, shops: list[ShopConfig]) -> list[ShopConfig]:
        for attribute in ("id", "connection_id"):
            values = [getattr(shop, attribute) for shop in shops]
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                raise ValueError(f"shop {attribute} {duplicates} used by more than one shop")
        return shops

    @field_validator("order_trigger_statuses", "streams")
    @classmethod
    def _no_duplicates(cls, values: list[Any]) -> list[Any]:
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"{duplicates} listed more than once")
        return values

    @property
    def dag_id(self) -> str:
        """The generated DAG's id."""
        return dag_id_for(self.tenant_id)

    @property
    def channel_count(self) -> int:
        """Channels over all shops: more than one makes the tenant multishop."""
        return sum(len(shop.channels) for shop in self.shops)

    def shop(self, shop_id: str) -> ShopConfig:
        """The shop with this id (KeyError names the known ones)."""
        for shop in self.shops:
            if shop.id == shop_id:
                return shop
        raise KeyError(
            f"tenant {self.tenant_id!r} has no shop {shop_id!r}; shops: {[s.id for s in self.shops]}"
        )


@functools.lru_cache(maxsize=256)
def _schedule_problem(value: str) -> str | None:
    """Why ``value`` is no usable schedule, or ``None``; memoised: tenants share a handful of schedules
    and croniter takes about a millisecond per check, which adds up over a thousand tenants per parse."""
    if value.lower() in _UNSCHEDULABLE_PRESETS or not croniter.is_valid(value):
        return f"{value!r} is not a cron expression (e.g. '*/15 * * * *' or '@hourly')"
    if not cron_fires(value):
        return (
            f"{value!r} never fires (no run in {_MAX_YEARS_BETWEEN_RUNS} years, e.g. 31 February); "
            "the tenant would silently never sync"
        )
    return None


def cron_fires(expression: str) -> bool:
    """Whether the cron ``expression`` (already known to be valid) fires at least once in 5 years.

    croniter accepts day/month pairs that do not exist (``0 0 31 2 *``); Airflow would then schedule
    the DAG never, without an error anywhere. A bounded search (milliseconds) finds them at parse time.
    """
    try:
        croniter(
            expression, datetime(2026, 1, 1), max_years_between_matches=_MAX_YEARS_BETWEEN_RUNS
        ).get_next(datetime)
    except CroniterBadDateError:
        return False
    return True


DAG_ID_PREFIX = "sync_"


def dag_id_for(tenant_id: str) -> str:
    """``sync_<tenant_id>``: the one place the naming rule lives."""
    return f"{DAG_ID_PREFIX}{tenant_id}"


def tenant_id_from_dag_id(dag_id: str) -> str | None:
    """The tenant a generated DAG id belongs to, or ``None`` for DAG ids this package does not generate."""
    return dag_id[len(DAG_ID_PREFIX) :] if dag_id.startswith(DAG_ID_PREFIX) else None


INITIAL_SYNC_DAG_ID_PREFIX = "initial_sync_"


def initial_sync_dag_id_for(tenant_id: str) -> str:
    """``initial_sync_<tenant_id>``: the tenant's manually triggered initial product sync."""
    return f"{INITIAL_SYNC_DAG_ID_PREFIX}{tenant_id}"


def tenant_id_from_initial_sync_dag_id(dag_id: str) -> str | None:
    """The tenant of an ``initial_sync_<tenant_id>`` DAG id, or ``None`` for any other DAG id."""
    if not dag_id.startswith(INITIAL_SYNC_DAG_ID_PREFIX):
        return None
    return dag_id[len(INITIAL_SYNC_DAG_ID_PREFIX) :] or None
