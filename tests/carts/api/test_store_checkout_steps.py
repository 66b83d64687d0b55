from decimal import Decimal

import pytest
from django.urls import reverse

from carts.models import PaymentSession, ShippingMethod
from commerce.models import PaymentProvider
from tests.carts.api.store_helpers import cart_json, shipping_option_json, shop
from tests.carts.factories import CartFactory, LineItemFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory

pytestmark = pytest.mark.django_db

CARTS = "/api/store/carts"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def cart(s):
    cart = CartFactory(region=s.eu, sales_channel=s.wholesale, email="buyer@example.com")
    LineItemFactory(cart=cart, variant=s.shirt_s, unit_price=1950, quantity=2)
    return cart


# ---- SHIPPING OPTIONS ----


def test_shipping_options_of_the_carts_region(api_client, s, cart):
    # Medusa lists the region's non-admin options for the cart; here with the tax the region adds
    ShippingOptionFactory(region=s.eu, admin_only=True)
    ShippingOptionFactory(region=s.eu, is_return=True)
    ShippingOptionFactory(region=RegionFactory())
    assert reverse("store-api:shipping-option-detail", args=[cart.pk]) == (
        f"/api/store/shipping-options/{cart.pk}"
    )
    response = api_client.get(f"/api/store/shipping-options/{cart.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "shipping_options": [
            {**shipping_option_json(s.shipping), "price_incl_tax": 1000, "tax_amount": 0}
        ]
    }


def test_shipping_options_carry_the_regions_tax(api_client, s, cart):
    s.eu.tax_rate = Decimal("25")
    s.eu.save(update_fields=["tax_rate"])
    option = api_client.get(f"/api/store/shipping-options/{cart.pk}").json()["shipping_options"][0]
    assert (option["amount"], option["tax_amount"], option["price_incl_tax"]) == (1000, 250, 1250)


def test_shipping_options_of_an_unknown_cart_is_404(api_client):
    response = api_client.get("/api/store/shipping-options/cart_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_shipping_options_query_count(api_client, s, cart, django_assert_num_queries):
    ShippingOptionFactory.create_batch(3, region=s.eu)
    # 0 = whose cart it is; 1 = the cart with its region; 2 = the options
    with django_assert_num_queries(3):
        response = api_client.get(f"/api/store/shipping-options/{cart.pk}")
    assert len(response.json()["shipping_options"]) == 4


# ---- SHIPPING METHOD ----


def test_add_a_shipping_method(api_client, s, cart):
    # Medusa answers 200 with the cart and its shipping method
    response = api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": s.shipping.pk})
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(cart)}
    body = response.json()["cart"]
    assert (body["subtotal"], body["shipping_total"], body["total"]) == (3900, 1000, 4900)
    assert [m["shipping_option_id"] for m in body["shipping_methods"]] == [s.shipping.pk]


def test_a_new_shipping_method_replaces_the_old_one(api_client, s, cart):
    express = ShippingOptionFactory(region=s.eu, amount=2500)
    api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": s.shipping.pk})
    response = api_client.post(
        f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": express.pk, "data": {"slot": "am"}}
    )
    methods = response.json()["cart"]["shipping_methods"]
    assert [(m["shipping_option_id"], m["price"], m["data"]) for m in methods] == [
        (express.pk, 2500, {"slot": "am"})
    ]


@pytest.mark.parametrize("kind", ["unknown", "other region", "admin only"])
def test_add_a_shipping_method_the_cart_cannot_use_is_refused(api_client, s, cart, kind):
    option_id = {
        "unknown": "so_nope",
        "other region": ShippingOptionFactory().pk,
        "admin only": ShippingOptionFactory(region=s.eu, admin_only=True).pk,
    }[kind]
    response = api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": option_id})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": f"Shipping option with id: {option_id} is not available for this cart's region",
    }
    assert ShippingMethod.objects.exists() is False


def test_add_a_shipping_method_needs_an_option_id(api_client, cart):
    response = api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {})
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": "option_id must be a string"}


# ---- PAYMENT ----


def test_create_payment_sessions(api_client, s, cart):
    # Medusa: one provider, so its session is selected at once
    api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": s.shipping.pk})
    response = api_client.post(f"{CARTS}/{cart.pk}/payment-sessions")
    assert response.status_code == 200
    assert response.json() == {"cart": cart_json(cart)}
    session = PaymentSession.objects.get(cart=cart)
    assert (session.provider_id, session.amount, session.is_selected, session.status) == (
        "manual",
        4900,
        True,
        "pending",
    )
    assert response.json()["cart"]["payment_session"]["id"] == session.pk


def test_select_the_manual_payment_session(api_client, s, cart):
    # Medusa selects the asked-for session; here in a region with two providers (nothing is
    # selected until asked)
    other = PaymentProvider.objects.create(id="other")
    s.eu.payment_providers.add(other)
    api_client.post(f"{CARTS}/{cart.pk}/payment-sessions")
    assert api_client.get(f"{CARTS}/{cart.pk}").json()["cart"]["payment_session"] is None
    response = api_client.post(f"{CARTS}/{cart.pk}/payment-session", {"provider_id": "manual"})
    assert response.status_code == 200
    body = response.json()["cart"]
    assert body["payment_session"]["provider_id"] == "manual"
    assert sorted((p["provider_id"], p["is_selected"]) for p in body["payment_sessions"]) == [
        ("manual", True),
        ("other", None),
    ]


def test_select_a_provider_the_region_lacks_is_refused(api_client, cart):
    response = api_client.post(f"{CARTS}/{cart.pk}/payment-session", {"provider_id": "stripe"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Payment provider stripe is not available in this cart's region",
    }
    assert PaymentSession.objects.exists() is False


def test_changing_the_cart_clears_payment_sessions(api_client, s, cart):
    api_client.post(f"{CARTS}/{cart.pk}/payment-sessions")
    response = api_client.post(
        f"{CARTS}/{cart.pk}/line-items", {"variant_id": s.shirt_m.pk, "quantity": 1}
    )
    assert response.json()["cart"]["payment_sessions"] == []


# ---- TOTALS ----


def test_totals_with_the_regions_tax_are_integers(api_client, s, default_channel):
    # given: 25% tax; 2 x 1950 and 1 x 1000, shipping 1000
    s.eu.tax_rate = Decimal("25")
    s.eu.save(update_fields=["tax_rate"])
    cart = CartFactory(region=s.eu, sales_channel=default_channel)
    LineItemFactory(cart=cart, variant=s.shirt_s, unit_price=1950, quantity=2)
    LineItemFactory(cart=cart, variant=s.mug, unit_price=1001, quantity=1)
    api_client.post(f"{CARTS}/{cart.pk}/shipping-methods", {"option_id": s.shipping.pk})

    # when
    response = api_client.get(f"{CARTS}/{cart.pk}")

    # then: 975 + 250 (1001 x 25% = 250.25, rounded half up per line) + 250 on shipping
    assert response.json() == {"cart": cart_json(cart, item_taxes=[975, 250], shipping_tax=250)}
    body = response.json()["cart"]
    assert {k: body[k] for k in ("subtotal", "shipping_total", "tax_total", "total")} == {
        "subtotal": 4901,
        "shipping_total": 1000,
        "tax_total": 1475,
        "total": 7376,
    }
