"""Discount and gift card codes on a store cart: none exist yet, so every code is a clear 404."""

import pytest

from carts.models import Cart
from tests.carts.api.store_helpers import CARTS, cart_json, ready_cart, shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def cart(api_client, s):
    response = api_client.post(
        CARTS, {"region_id": s.eu.pk, "items": [{"variant_id": s.mug.pk, "quantity": 1}]}
    )
    assert response.status_code == 200
    return Cart.objects.get(pk=response.json()["cart"]["id"])


def test_a_cart_carries_empty_discounts_and_gift_cards_and_their_totals(api_client, cart):
    body = api_client.get(f"{CARTS}/{cart.pk}").json()["cart"]
    assert body["discounts"] == []
    assert body["gift_cards"] == []
    assert (body["discount_total"], body["gift_card_total"], body["gift_card_tax_total"]) == (
        0,
        0,
        0,
    )
    assert body["total"] == body["subtotal"] + body["shipping_total"] + body["tax_total"]


def test_an_unknown_discount_code_is_a_404_and_changes_nothing(api_client, cart):
    # given
    before = cart_json(cart)

    # when: the code comes with an email change, which must not happen either
    response = api_client.post(
        f"{CARTS}/{cart.pk}", {"email": "new@example.com", "discounts": [{"code": "SUMMER10"}]}
    )

    # then
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Discount with code SUMMER10 was not found",
    }
    assert cart_json(cart) == before


def test_an_unknown_gift_card_code_is_a_404_and_changes_nothing(api_client, cart):
    before = cart_json(cart)
    response = api_client.post(f"{CARTS}/{cart.pk}", {"gift_cards": [{"code": "GC-1234"}]})
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Gift card with code GC-1234 was not found",
    }
    assert cart_json(cart) == before


def test_discounts_are_checked_before_gift_cards(api_client, cart):
    response = api_client.post(
        f"{CARTS}/{cart.pk}",
        {"gift_cards": [{"code": "GC"}], "discounts": [{"code": "A"}, {"code": "B"}]},
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Discount with code A was not found"


def test_empty_code_lists_change_nothing_else(api_client, cart):
    response = api_client.post(
        f"{CARTS}/{cart.pk}", {"discounts": [], "gift_cards": [], "email": "a@example.com"}
    )
    assert response.status_code == 200
    cart.refresh_from_db()
    assert cart.email == "a@example.com"
    assert response.json() == {"cart": cart_json(cart)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"discounts": "SUMMER"}, "discounts must be an array"),
        (
            {"discounts": ["SUMMER"]},
            "each value in nested property discounts must be either object or array",
        ),
        ({"gift_cards": [{"code": 5}]}, "code must be a string"),
        ({"gift_cards": [{"code": "X", "value": 1}]}, "property value should not exist"),
    ],
)
def test_malformed_codes_are_a_400(api_client, cart, body, message):
    before = cart_json(cart)
    response = api_client.post(f"{CARTS}/{cart.pk}", body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert cart_json(cart) == before


def test_removing_a_discount_the_cart_does_not_carry_answers_the_cart(api_client, cart):
    before = cart_json(cart)
    response = api_client.delete(f"{CARTS}/{cart.pk}/discounts/SUMMER10")
    assert response.status_code == 200
    assert response.json() == {"cart": before}
    assert cart_json(cart) == before


def test_removing_a_discount_from_an_unknown_cart_is_a_404(api_client, s):
    response = api_client.delete(f"{CARTS}/cart_nope/discounts/SUMMER10")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_codes_on_a_completed_cart_are_refused_as_any_change(api_client, s):
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    assert api_client.post(f"{CARTS}/{cart.pk}/complete").status_code == 200
    response = api_client.delete(f"{CARTS}/{cart.pk}/discounts/SUMMER10")
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": f"Cart {cart.pk} is already completed and cannot be changed",
    }
