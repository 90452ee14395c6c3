"""Bindings: which Hogia record an external (Jetshop) record became, one-to-one in both directions.

A binding is what stops a second customer, article or invoice being created for something already
pushed. It is never re-pointed silently: binding an external id to another Hogia id, or a Hogia id to
another external id, raises ``BindingConflictError`` — a human must look at why the two sides disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from jetshop_hogia.state.errors import BindingConflictError
from jetshop_hogia.state.models import BindingRow, bindings
from jetshop_hogia.state.records import Binding
from jetshop_hogia.state.sqlhelpers import insert_if_absent, rowcount


class BindingEntity(enum.StrEnum):
    """The entities the streams bind (the column accepts any short name)."""

    ORDER = "order"  # order number -> Hogia customer invoice id
    CUSTOMER = "customer"  # Jetshop customer -> Hogia contact id
    ARTICLE = "article"  # article number -> Hogia article id


def _to_binding(row: Row[Any]) -> Binding:
    return Binding(
        tenant_id=row.tenant_id,
        shop_id=row.shop_id,
        entity=row.entity,
        external_id=row.external_id,
        hogia_id=row.hogia_id,
        last_pushed_hash=row.last_pushed_hash,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class BindingRepository:
    """Bindings of one transaction (see ``StateStore.transaction``)."""

    def __init__(self, connection: Connection, now: Callable[[], datetime]) -> None:
        self._connection = connection
        self._now = now

    def get_by_external(self, tenant_id: str, shop_id: str, entity: str, external_id: str) -> Binding | None:
        """The Hogia record bound to this external record, if any."""
        row = self._connection.execute(
            select(bindings).where(
                BindingRow.tenant_id == tenant_id,
                BindingRow.shop_id == shop_id,
                BindingRow.entity == entity,
                BindingRow.external_id == external_id,
            )
        ).one_or_none()
        return _to_binding(row) if row else None

    def get_by_hogia(self, tenant_id: str, entity: str, hogia_id: str) -> Binding | None:
        """The external record bound to this Hogia record, if any."""
        row = self._connection.execute(
            select(bindings).where(
                BindingRow.tenant_id == tenant_id,
                BindingRow.entity == entity,
                BindingRow.hogia_id == hogia_id,
            )
        ).one_or_none()
        return _to_binding(row) if row else None

    def put(
        self,
        tenant_id: str,
        shop_id: str,
        entity: str,
        external_id: str,
        hogia_id: str,
        *,
        last_pushed_hash: str | None = None,
    ) -> Binding:
        """Create the binding, or refresh ``last_pushed_hash`` of the identical existing one.

        Raises ``BindingConflictError`` when either side is already bound to something else. Safe under
        concurrency: a racing insert of the same binding is absorbed, a racing conflicting one raises.
        """
        for _ in range(2):
            existing = self._existing_or_conflict(tenant_id, shop_id, entity, external_id, hogia_id)
            if existing is not None:
                return self._refresh(existing, last_pushed_hash)
            now = self._now()
            values = {
                "tenant_id": tenant_id,
                "shop_id": shop_id,
                "entity": entity,
                "external_id": external_id,
                "hogia_id": hogia_id,
                "last_pushed_hash": last_pushed_hash,
                "created_at": now,
                "updated_at": now,
            }
            if insert_if_absent(self._connection, bindings, values):
                created = self.get_by_external(tenant_id, shop_id, entity, external_id)
                assert created is not None
                return created
        raise BindingConflictError(  # pragma: no cover - needs a concurrent insert then delete
            f"binding {entity} {tenant_id}/{shop_id}/{external_id} <-> {hogia_id} kept changing under us"
        )

    def _existing_or_conflict(
        self, tenant_id: str, shop_id: str, entity: str, external_id: str, hogia_id: str
    ) -> Binding | None:
        by_external = self.get_by_external(tenant_id, shop_id, entity, external_id)
        if by_external is not None:
            if by_external.hogia_id != hogia_id:
                raise BindingConflictError(
                    f"{entity} {tenant_id}/{shop_id}/{external_id} is already bound to Hogia id "
                    f"{by_external.hogia_id}, refusing to re-point it to {hogia_id}"
                )
            return by_external
        by_hogia = self.get_by_hogia(tenant_id, entity, hogia_id)
        if by_hogia is not None:
            raise BindingConflictError(
                f"Hogia {entity} {hogia_id} of tenant {tenant_id} is already bound to "
                f"{by_hogia.shop_id}/{by_hogia.external_id}, refusing to bind it to {shop_id}/{external_id}"
            )
        return None

    def _refresh(self, existing: Binding, last_pushed_hash: str | None) -> Binding:
        if last_pushed_hash is None or last_pushed_hash == existing.last_pushed_hash:
            return existing
        self._connection.execute(
            update(bindings)
            .where(
                BindingRow.tenant_id == existing.tenant_id,
                BindingRow.shop_id == existing.shop_id,
                BindingRow.entity == existing.entity,
                BindingRow.external_id == existing.external_id,
            )
            .values(last_pushed_hash=last_pushed_hash, updated_at=self._now())
        )
        refreshed = self.get_by_external(
            existing.tenant_id, existing.shop_id, existing.entity, existing.external_id
        )
        assert refreshed is not None
        return refreshed

    def remove(self, tenant_id: str, shop_id: str, entity: str, external_id: str) -> bool:
        """Delete a binding (an explicit human decision, e.g. the Hogia record was merged away)."""
        result = self._connection.execute(
            delete(bindings).where(
                BindingRow.tenant_id == tenant_id,
                BindingRow.shop_id == shop_id,
                BindingRow.entity == entity,
                BindingRow.external_id == external_id,
            )
        )
        return rowcount(result) == 1

    def for_entity(self, tenant_id: str, entity: str, *, shop_id: str | None = None) -> list[Binding]:
        """Every binding of an entity for a tenant (optionally one shop), ordered by external id."""
        statement = select(bindings).where(BindingRow.tenant_id == tenant_id, BindingRow.entity == entity)
        if shop_id is not None:
            statement = statement.where(BindingRow.shop_id == shop_id)
        statement = statement.order_by(BindingRow.shop_id, BindingRow.external_id)
        return [_to_binding(row) for row in self._connection.execute(statement)]
