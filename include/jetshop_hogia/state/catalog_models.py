"""The ``catalog_sync`` table: what each catalog stream last confirmed writing, per item and shop.

One row per (tenant, stream key, shop, item): the hash of the payload the target confirmed, and for
stock the Hogia ``rowVersion`` the level came from. Delta runs send only items whose hash differs; a
stock write never goes out when a newer level was already confirmed. Defined on the shared
:class:`~jetshop_hogia.state.models.StateBase` so the migrated schema and the models are compared as one.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import BigInteger, String, Table
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
