"""Carts and orders of customers: signed-in carts carry the customer, guests get a guest customer."""

import pytest

from carts.models import Cart
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


# ---- NOBODY ELSE READS A CUSTOMER'S CARTS AND ORDERS ----


def test_a_customers_cart_answers_only_to_that_customer(api_client, s, ada):
    CustomerFactory(email="bob@example.com")
    ada_h = bearer(api_client, "ada@example.com", PASSWORD)
    bob_h = bearer(api_client, "bob@example.com", PASSWORD)
    cart_id = api_client.post(CARTS, {"region_id": s.eu.pk}, **ada_h).json()["cart"]["id"]
    not_found = {"type": "not_found", "message": f"Cart with id: {cart_id} was not found"}
    for headers in (bob_h, {}):
        for method, path, body in [
            ("get", f"{CARTS}/{cart_id}", None),
            ("post", f"{CARTS}/{cart_id}", {"email": "bob@example.com"}),
            ("post", f"{CARTS}/{cart_id}/line-items", {"variant_id": s.mug.pk, "quantity": 1}),
            ("post", f"{CARTS}/{cart_id}/complete", None),
            ("get", f"/api/store/shipping-options/{cart_id}", None),
        ]:
            response = getattr(api_client, method)(path, body, **headers)
            assert response.status_code == 404, (method, path)
            assert response.json() == not_found
    cart = Cart.objects.get(pk=cart_id)
    assert (cart.customer_id, cart.email, cart.items.count()) == (ada.pk, "ada@example.com", 0)
    assert api_client.get(f"{CARTS}/{cart_id}", **ada_h).status_code == 200


def test_a_customers_order_answers_only_to_that_customer(api_client, s, ada):
    CustomerFactory(email="bob@example.com")
    ada_h = bearer(api_client, "ada@example.com", PASSWORD)
    bob_h = bearer(api_client, "bob@example.com", PASSWORD)
    api_client.credentials(**ada_h)
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1)])
    order = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    api_client.credentials()
    lookup = f"/api/store/orders?display_id={order['display_id']}&email=ada@example.com"
    for path in (f"/api/store/orders/{order['id']}", f"/api/store/orders/cart/{cart.pk}", lookup):
        for headers in (bob_h, {}):
            response = api_client.get(path, **headers)
            assert response.status_code == 404, path
            assert response.json()["type"] == "not_found"
        assert api_client.get(path, **ada_h).json()["order"]["id"] == order["id"]


def test_guest_carts_and_orders_still_go_by_id(api_client, s):
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1)])
    order = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    assert api_client.get(f"/api/store/orders/{order['id']}").status_code == 200
    assert api_client.get(f"{CARTS}/{cart.pk}").status_code == 200


def test_store_order_expand_customer(api_client, s, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    api_client.credentials(**headers)
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1)])
    order_id = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]["id"]
    response = api_client.get(f"/api/store/orders/{order_id}?expand=customer,items")
    order = response.json()["order"]
    assert order["customer"]["id"] == ada.pk
    assert order["customer"]["has_account"] is True
    assert "password" not in str(order["customer"])
    assert "customer" not in api_client.get(f"/api/store/orders/{order_id}").json()["order"]
