"""Carts and orders of customers: signed-in carts carry the customer, guests get a guest customer."""

import pytest

from customers.models import Customer
from orders.models import Order
from tests.carts.api.store_helpers import CARTS, ready_cart, shop
from tests.customers.api.helpers import bearer
from tests.customers.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def ada(db):
    return CustomerFactory(email="ada@example.com")


def test_anonymous_cart_has_no_customer(api_client, s):
    # The starter sends an empty authorization header and a `next` header when signed out.
    response = api_client.post(
        CARTS, {"region_id": s.eu.pk}, HTTP_AUTHORIZATION="", HTTP_NEXT='{"tags":["cart"]}'
    )
    assert response.status_code == 200
    assert response.json()["cart"]["customer_id"] is None
    assert response.json()["cart"]["email"] is None


def test_signed_in_cart_carries_the_customer_and_email(api_client, s, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    response = api_client.post(CARTS, {"region_id": s.eu.pk}, **headers)
    assert response.status_code == 200
    cart = response.json()["cart"]
    assert (cart["customer_id"], cart["email"]) == (ada.pk, "ada@example.com")


def test_signing_in_then_updating_takes_over_the_cart_and_ignores_a_body_email(api_client, s, ada):
    cart_id = api_client.post(CARTS, {"region_id": s.eu.pk}).json()["cart"]["id"]
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    response = api_client.post(f"{CARTS}/{cart_id}", {"email": "other@example.com"}, **headers)
    assert response.status_code == 200
    cart = response.json()["cart"]
    assert (cart["customer_id"], cart["email"]) == (ada.pk, "ada@example.com")


def test_guest_email_makes_a_guest_customer_reused_by_the_next_cart(api_client, s, ada):
    first = api_client.post(CARTS, {"region_id": s.eu.pk}).json()["cart"]["id"]
    response = api_client.post(f"{CARTS}/{first}", {"email": "Ada@Example.com"})
    guest_id = response.json()["cart"]["customer_id"]
    guest = Customer.objects.get(pk=guest_id)
    assert guest.has_account is False
    assert guest.pk != ada.pk  # the account of that email is not the guest
    assert response.json()["cart"]["email"] == "ada@example.com"
    second = api_client.post(CARTS, {"region_id": s.eu.pk, "email": "ada@example.com"})
    assert second.json()["cart"]["customer_id"] == guest_id
    assert Customer.objects.filter(has_account=False).count() == 1


def test_orders_keep_the_customer(api_client, s, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    api_client.credentials(**headers)
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 200
    assert response.json()["data"]["customer_id"] == ada.pk
    assert response.json()["data"]["email"] == "ada@example.com"
    assert Order.objects.get().customer_id == ada.pk


def test_guest_orders_belong_to_the_guest_customer(api_client, s):
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1)])
    order = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    guest = Customer.objects.get(email="buyer@example.com")
    assert guest.has_account is False
    assert order["customer_id"] == guest.pk
