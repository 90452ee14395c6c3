"""Bindings: one-to-one between external and Hogia ids, never silently re-pointed."""

from __future__ import annotations

import pytest

from jetshop_hogia.state import BindingConflictError, BindingEntity, StateStore

CUSTOMER = BindingEntity.CUSTOMER


def test_put_then_get_both_ways(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        created = tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1", last_pushed_hash="h1")
    with store.transaction() as tx:
        by_external = tx.bindings.get_by_external(tenant, "shop-a", CUSTOMER, "c-1")
        by_hogia = tx.bindings.get_by_hogia(tenant, CUSTOMER, "hogia-1")
        assert tx.bindings.get_by_external(tenant, "shop-b", CUSTOMER, "c-1") is None
        assert tx.bindings.get_by_hogia(tenant, BindingEntity.ARTICLE, "hogia-1") is None
    assert by_external == by_hogia == created
    assert created.last_pushed_hash == "h1"


def test_repeating_a_binding_refreshes_its_hash_only(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1", last_pushed_hash="h1")
        unchanged = tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
        refreshed = tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1", last_pushed_hash="h2")
        assert len(tx.bindings.for_entity(tenant, CUSTOMER)) == 1
    assert unchanged.last_pushed_hash == "h1"
    assert refreshed.last_pushed_hash == "h2"


def test_external_id_cannot_be_repointed(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
    with pytest.raises(BindingConflictError, match="refusing to re-point"), store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-2")
    with store.transaction() as tx:
        binding = tx.bindings.get_by_external(tenant, "shop-a", CUSTOMER, "c-1")
    assert binding is not None
    assert binding.hogia_id == "hogia-1"


@pytest.mark.parametrize(("shop", "external_id"), [("shop-a", "c-2"), ("shop-b", "c-1")])
def test_hogia_id_cannot_be_bound_twice(store: StateStore, tenant: str, shop: str, external_id: str) -> None:
    """Unique per tenant and entity, across shops: two shops' customers cannot share one contact."""
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
    with pytest.raises(BindingConflictError, match="already bound"), store.transaction() as tx:
        tx.bindings.put(tenant, shop, CUSTOMER, external_id, "hogia-1")
    with store.transaction() as tx:
        assert tx.bindings.get_by_external(tenant, shop, CUSTOMER, external_id) is None


def test_same_ids_in_other_tenants_and_entities_are_independent(store: StateStore, tenant: str) -> None:
    other_tenant = f"{tenant}-other"
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
        tx.bindings.put(other_tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
        tx.bindings.put(tenant, "shop-a", BindingEntity.ARTICLE, "c-1", "hogia-1")
        assert len(tx.bindings.for_entity(tenant, CUSTOMER)) == 1
        assert len(tx.bindings.for_entity(other_tenant, CUSTOMER)) == 1


def test_remove_then_rebind(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-1")
        assert tx.bindings.remove(tenant, "shop-a", CUSTOMER, "c-1")
        assert not tx.bindings.remove(tenant, "shop-a", CUSTOMER, "c-1")
        rebound = tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "hogia-2")
    assert rebound.hogia_id == "hogia-2"


def test_for_entity_filters_by_shop(store: StateStore, tenant: str) -> None:
    with store.transaction() as tx:
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-2", "h-2")
        tx.bindings.put(tenant, "shop-a", CUSTOMER, "c-1", "h-1")
        tx.bindings.put(tenant, "shop-b", CUSTOMER, "c-1", "h-3")
        shop_a = tx.bindings.for_entity(tenant, CUSTOMER, shop_id="shop-a")
    assert [binding.external_id for binding in shop_a] == ["c-1", "c-2"]
