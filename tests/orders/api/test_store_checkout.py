"""A storefront's whole checkout, through HTTP only, sending what medusa-js sends.

medusa-js puts the publishable key on every request and a fresh `Idempotency-Key` on every POST.
"""

import uuid

import pytest

from orders.models import Order
from tests.carts.api.store_helpers import shop
from tests.saleschannels.factories import PublishableApiKeyFactory

pytestmark = pytest.mark.django_db

API = "/api/store"


def test_checkout_from_catalogue_to_order(api_client, default_channel):
    s = shop(default_channel)
    key = PublishableApiKeyFactory(sales_channels=[s.wholesale])
    headers = {"HTTP_X_PUBLISHABLE_API_KEY": key.pk}

    def get(path):
        response = api_client.get(API + path, **headers)
        assert response.status_code == 200, response.json()
        return response.json()

    def post(path, body=None):
        response = api_client.post(
            API + path, body or {}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers
        )
        assert response.status_code == 200, response.json()
        return response.json()

    # the storefront finds its region and its channel's catalogue
    region = next(r for r in get("/regions")["regions"] if r["name"] == "EU")
    products = get(f"/products?region_id={region['id']}")["products"]
    assert [p["title"] for p in products] == ["Medusa T-Shirt"]
    variant = products[0]["variants"][0]
    assert variant["calculated_price"] == 1950

    # a cart in the key's channel, with the variant
    cart = post("/carts", {"region_id": region["id"]})["cart"]
    assert cart["sales_channel_id"] == s.wholesale.pk
    cart = post(f"/carts/{cart['id']}/line-items", {"variant_id": variant["id"], "quantity": 2})[
        "cart"
    ]
    assert (cart["items"][0]["quantity"], cart["subtotal"]) == (2, 3900)

    # email and address, shipping, payment
    post(
        f"/carts/{cart['id']}",
        {
            "email": "buyer@example.com",
            "shipping_address": {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "address_1": "1 Main St",
                "city": "Copenhagen",
                "country_code": "dk",
                "postal_code": "1000",
            },
        },
    )
    options = get(f"/shipping-options/{cart['id']}")["shipping_options"]
    cart = post(f"/carts/{cart['id']}/shipping-methods", {"option_id": options[0]["id"]})["cart"]
    assert cart["total"] == 4900
    cart = post(f"/carts/{cart['id']}/payment-sessions")["cart"]
    cart = post(f"/carts/{cart['id']}/payment-session", {"provider_id": "manual"})["cart"]
    assert cart["payment_session"]["provider_id"] == "manual"

    # completion
    completed = post(f"/carts/{cart['id']}/complete")
    assert completed["type"] == "order"
    order = completed["data"]
    assert (order["sales_channel_id"], order["total"], order["email"]) == (
        s.wholesale.pk,
        4900,
        "buyer@example.com",
    )

    # the confirmation page reads the order back, three ways
    assert get(f"/orders/{order['id']}")["order"] == order
    assert get(f"/orders/cart/{cart['id']}")["order"] == order
    found = get(f"/orders?display_id={order['display_id']}&email=buyer@example.com")["order"]
    assert found == order
    assert (
        get(f"/orders/{order['id']}?expand=sales_channel&fields=id")["order"]["sales_channel"]["id"]
        == s.wholesale.pk
    )

    # and the cart is done
    assert get(f"/carts/{cart['id']}")["cart"]["completed_at"] is not None
    assert Order.objects.get().cart_id == cart["id"]
