"""The catalog tables: ``catalog_sync`` (what each catalog stream last confirmed writing, per item and
shop) and ``order_article_quantity`` (article quantities of shop orders, for the sellable stock).

One row per (tenant, stream key, shop, item): the hash of the payload the target confirmed, and for
stock the Hogia ``rowVersion`` the level came from. Delta runs send only items whose hash differs; a
stock write never goes out when a newer level was already confirmed. Defined on the shared
:class:`~jetshop_hogia.state.models.StateBase` so the migrated schema and the models are compared as one.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import BigInteger, Numeric, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from jetshop_hogia.state.models import HASH_LEN, ID_LEN, StateBase
from jetshop_hogia.state.sqltypes import UtcDateTime

ITEM_KEY_LEN = 200
STREAM_KEY_LEN = 64


class CatalogSyncRow(StateBase):
    """The last confirmed write of one catalog item to one shop (or to Hogia: shop ``*``)."""

    __tablename__ = "catalog_sync"

    tenant_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    stream: Mapped[str] = mapped_column(String(STREAM_KEY_LEN), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(ITEM_KEY_LEN), primary_key=True)
    pushed_hash: Mapped[str | None] = mapped_column(String(HASH_LEN))
    source_version: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


catalog_sync = cast(Table, CatalogSyncRow.__table__)


class OrderArticleQuantityRow(StateBase):
    """Quantity of one article on one shop order (goods rows summed), as the order stream last read it.

    Kept for the optional sellable stock (``catalog.stock_sellable``): joined with ``order_ledger`` it
    says how much the shop has sold that Hogia does not know of yet (the order is not invoiced).
    """

    __tablename__ = "order_article_quantity"

    tenant_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_number: Mapped[str] = mapped_column(String(ITEM_KEY_LEN), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


order_article_quantity = cast(Table, OrderArticleQuantityRow.__table__)
