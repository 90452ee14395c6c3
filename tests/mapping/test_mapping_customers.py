"""Customer matching (e-mail or customer number), contact bodies, create-once and binding."""

from __future__ import annotations

from mapping_builders import company, context, order, private, row

from jetshop_hogia.mapping import (
    PENDING_CUSTOMER_NUMBER,
    CustomerCreate,
    CustomerMatch,
    CustomerRule,
    MatchOn,
    bind_customer_numbers,
    resolve_customers,
    transform_orders,
)


def test_private_customer_contact_body() -> None:
    (draft,) = transform_orders([order("A1")], context(payment_terms_days=14)).drafts

    assert isinstance(draft.customer, CustomerCreate)
    assert draft.customer.contact == {
        "isCompany": False,
        "givenName": "Åsa",
        "surName": "Öberg",
        "email": "asa.oberg@example.se",
        "phone": "0701234567",
        "countryCode": "SE",
        "customer": {"paymentTerms": 14, "selectedCurrencyCode": "SEK"},
        "addresses": [
            {
                "type": "billing",
                "street": "Storgatan 1",
                "postalCode": "41104",
                "city": "Göteborg",
                "countryCode": "SE",
            },
            {
                "type": "delivery",
                "street": "Ågatan 2",
                "postalCode": "90326",
                "city": "Umeå",
                "countryCode": "SE",
            },
        ],
    }
    assert draft.customer_key == "asa.oberg@example.se"
    assert not draft.is_bound


def test_company_customer_contact_body() -> None:
    (draft,) = transform_orders([order("A1", customer=company())], context()).drafts

    contact = draft.customer.contact  # type: ignore[union-attr]
    assert contact["isCompany"] is True
    assert (contact["companyName"], contact["organisationNumber"], contact["vatNumber"]) == (
        "Blomsterhörnan AB",
        "5561234567",
        "SE556123456701",
    )
    assert {"givenName", "surName"}.isdisjoint(contact)
    assert contact["addresses"][0]["co"] == "Ekonomi"


def test_email_matching_is_case_insensitive_and_binds_at_once() -> None:
    ctx = context(existing_customers={"ASA.Oberg@Example.se": "1042"})
    (draft,) = transform_orders([order("A1", customer=private(email="asa.oberg@EXAMPLE.se"))], ctx).drafts

    assert draft.customer == CustomerMatch("1042")
    assert draft.invoice["customerNumber"] == "1042"
    assert draft.is_bound


def test_customer_number_matching_uses_the_shop_number() -> None:
    rule = CustomerRule(MatchOn.CUSTOMER_NUMBER)
    ctx = context(customer_rule=rule, existing_customers={"W5001": "W5001"})
    known, new = transform_orders([order("A1"), order("A2", customer=private(number="W9"))], ctx).drafts

    assert known.customer == CustomerMatch("W5001")
    assert isinstance(new.customer, CustomerCreate)
    assert new.customer.contact["number"] == "W9"
    plan = resolve_customers([known, new], {}, MatchOn.CUSTOMER_NUMBER)
    assert [(c.match_key, c.known_number) for c in plan.to_create] == [("W9", "W9")]


def test_two_orders_of_one_new_customer_create_one_contact() -> None:
    orders = [
        order("A1"),
        order("A2", customer=private(email="Asa.Oberg@example.se")),
        order("A3", customer=company()),
    ]
    drafts = transform_orders(orders, context()).drafts
    plan = resolve_customers(drafts, {}, MatchOn.EMAIL)

    assert [(c.match_key, [k.order_number for k in c.order_keys]) for c in plan.to_create] == [
        ("asa.oberg@example.se", ["A1", "A2"]),
        ("inkop@blomsterhornan.se", ["A3"]),
    ]
    assert plan.to_create[0].known_number is None
    assert all(not d.is_bound for d in plan.drafts)


def test_a_fresher_index_binds_without_creating() -> None:
    drafts = transform_orders([order("A1"), order("A2", customer=company())], context()).drafts
    plan = resolve_customers(drafts, {"asa.oberg@example.se": "1042"}, MatchOn.EMAIL)

    assert [c.match_key for c in plan.to_create] == ["inkop@blomsterhornan.se"]
    assert plan.drafts[0].invoice["customerNumber"] == "1042"


def test_binding_after_create_fills_the_number_and_keeps_the_hash() -> None:
    drafts = transform_orders([order("A1"), order("A2"), order("A3", customer=company())], context()).drafts
    bound = bind_customer_numbers(drafts, {"asa.oberg@example.se": "1050"})

    assert [d.invoice["customerNumber"] for d in bound] == ["1050", "1050", PENDING_CUSTOMER_NUMBER]
    assert [d.payload_hash for d in bound] == [d.payload_hash for d in drafts]
    assert bound[0].customer == CustomerMatch("1050")
    assert drafts[0].invoice["customerNumber"] == PENDING_CUSTOMER_NUMBER  # the original is untouched


def test_hash_is_the_same_whether_the_customer_existed_or_was_bound_later() -> None:
    fresh = transform_orders([order("A1", (row("1092-10"),))], context()).drafts[0]
    known = transform_orders(
        [order("A1", (row("1092-10"),))], context(existing_customers={"asa.oberg@example.se": "7"})
    )

    assert known.drafts[0].payload_hash == fresh.payload_hash
    assert bind_customer_numbers([fresh], {"asa.oberg@example.se": "7"})[0].body == known.drafts[0].body
