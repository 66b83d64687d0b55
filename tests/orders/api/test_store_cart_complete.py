from decimal import Decimal

import pytest
from django.urls import reverse

from carts.models import Cart, PaymentSession
from catalog.services import sales_channel_products_remove
from orders.models import Order, Payment
from tests.carts.api.store_helpers import order_json, ready_cart, shop
from tests.helpers import ms

pytestmark = pytest.mark.django_db

CARTS = "/api/store/carts"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


def test_route_is_named_for_reverse():
    assert reverse("store-api:cart-complete", args=["cart_1"]) == f"{CARTS}/cart_1/complete"


def test_complete_places_the_order_in_the_carts_channel(api_client, s):
    # Medusa answers 200 `{"type": "order", "data": {...}}` with the cart's sales_channel_id
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 2)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 200
    order = Order.objects.get()
    assert response.json() == {"type": "order", "data": order_json(order)}
    assert (order.sales_channel_id, order.total, order.cart_id) == (s.wholesale.pk, 4900, cart.pk)
    assert "sales_channel" not in response.json()["data"]
    cart.refresh_from_db()
    assert cart.completed_at is not None
    s.shirt_s.refresh_from_db()
    assert s.shirt_s.inventory_quantity == 98


def test_complete_a_default_channel_cart(api_client, s):
    # Medusa places a default-channel cart's order in the default channel
    cart = ready_cart(api_client, s, channel=None, items=[(s.mug, 1), (s.shirt_s, 1)])
    data = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    assert (data["sales_channel_id"], data["total"]) == (s.default.pk, 3950)
    assert [i["title"] for i in data["items"]] == ["Medusa Coffee Mug", "Medusa T-Shirt"]


def test_complete_with_tax(api_client, default_channel):
    s = shop(default_channel, tax_rate=Decimal("25"))
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 2)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    order = Order.objects.get()
    assert response.json()["data"] == order_json(order, item_taxes=[975], shipping_tax=250)
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        3900,
        1000,
        1225,
        6125,
    )


def test_completing_again_returns_the_same_order(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    first = api_client.post(f"{CARTS}/{cart.pk}/complete")
    second = api_client.post(f"{CARTS}/{cart.pk}/complete", HTTP_IDEMPOTENCY_KEY="another-key")
    assert second.status_code == 200
    assert second.json() == first.json()
    assert Order.objects.count() == 1
    s.shirt_s.refresh_from_db()
    assert s.shirt_s.inventory_quantity == 99


def test_idempotency_key_replays_the_first_answer(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    first = api_client.post(f"{CARTS}/{cart.pk}/complete", HTTP_IDEMPOTENCY_KEY="key-1")
    second = api_client.post(f"{CARTS}/{cart.pk}/complete", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert second["Idempotency-Key"] == "key-1"
    order = Order.objects.get()
    assert order.idempotency_key == "key-1"
    assert first.json()["data"]["idempotency_key"] == "key-1"


def test_idempotency_key_of_another_cart_is_a_conflict(api_client, s):
    one = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    two = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_m, 1)])
    api_client.post(f"{CARTS}/{one.pk}/complete", HTTP_IDEMPOTENCY_KEY="key-1")
    response = api_client.post(f"{CARTS}/{two.pk}/complete", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 409
    assert response.json() == {
        "type": "conflict",
        "message": "The request conflicted with another request. You may retry the request with the provided Idempotency-Key.",
        "code": "invalid_state_error",
    }
    two.refresh_from_db()
    assert (two.completed_at, Order.objects.count()) == (None, 1)


def test_an_overlong_idempotency_key_is_a_400(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete", HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Idempotency-Key must be shorter than or equal to 255 characters",
    }
    assert Order.objects.exists() is False


def test_complete_is_refused_after_a_product_left_the_channel(api_client, s):
    # design §5: re-checked at completion (Medusa only checks when items are added)
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    sales_channel_products_remove(channel_id=s.wholesale.pk, product_ids=[s.shirt.pk])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "The products [Medusa T-Shirt] must belong to the sales channel on which the cart has been created.",
    }
    cart.refresh_from_db()
    s.shirt_s.refresh_from_db()
    assert (cart.completed_at, Order.objects.exists(), s.shirt_s.inventory_quantity) == (
        None,
        False,
        100,
    )
    assert PaymentSession.objects.get(cart=cart).status == "pending"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("items", "Cannot complete a cart without items"),
        ("email", "An email is required to complete a cart"),
        ("shipping", "Cannot complete a cart without a shipping method"),
        (
            "payment",
            "Cannot complete a cart without a selected payment session; select one with POST /store/carts/{id}/payment-session",
        ),
    ],
)
def test_complete_an_unfinished_cart_is_refused(api_client, s, missing, message):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    if missing == "items":
        cart.items.all().delete()
    elif missing == "email":
        Cart.objects.filter(pk=cart.pk).update(email=None)
    elif missing == "shipping":
        cart.shipping_methods.all().delete()
    else:
        cart.payment_sessions.all().delete()
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert Order.objects.exists() is False


def test_complete_an_unknown_cart_is_404(api_client):
    response = api_client.post(f"{CARTS}/cart_nope/complete")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Cart with id: cart_nope was not found",
    }


def test_complete_with_sales_channels_off_gives_an_order_without_channel(api_client, flags_off, s):
    flags_off("sales_channels")
    cart = ready_cart(api_client, s, channel=None, items=[(s.sweatshirt, 1)])
    data = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    assert data["sales_channel_id"] is None
    assert Order.objects.get().sales_channel_id is None


def test_an_idempotency_key_with_null_characters_is_a_400(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete", HTTP_IDEMPOTENCY_KEY="k\x00")
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Idempotency-Key must not contain null characters",
    }
    assert Order.objects.exists() is False


# ---- THE ORDER'S PAYMENT ----


def test_complete_makes_the_payment_from_the_selected_session(api_client, default_channel):
    # Medusa's order has one payment: the session's provider, the order's total and currency, and the
    # data the provider authorized with
    s = shop(default_channel, tax_rate=Decimal("25"))
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 2)])
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert payment.pk.startswith("pay_")
    assert (payment.order_id, payment.cart_id, payment.provider_id) == (order.pk, cart.pk, "manual")
    assert (payment.amount, payment.currency_code, payment.amount_refunded) == (6125, "eur", 0)
    assert payment.data == {"status": "authorized"}
    assert (payment.captured_at, payment.canceled_at) == (None, None)
    session = PaymentSession.objects.get(cart=cart)
    assert (session.status, session.data) == ("authorized", {"status": "authorized"})
    assert response.json()["data"]["payments"] == [
        {
            "id": payment.pk,
            "created_at": ms(payment.created_at),
            "updated_at": ms(payment.updated_at),
            "swap_id": None,
            "cart_id": cart.pk,
            "order_id": order.pk,
            "amount": 6125,
            "currency_code": "eur",
            "amount_refunded": 0,
            "provider_id": "manual",
            "data": {"status": "authorized"},
            "captured_at": None,
            "canceled_at": None,
            "metadata": None,
            "idempotency_key": None,
        }
    ]
    data = response.json()["data"]
    assert (data["discounts"], data["gift_cards"], data["gift_card_total"]) == ([], [], 0)


def test_completing_again_makes_no_second_payment(api_client, s):
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    first = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    again = api_client.post(f"{CARTS}/{cart.pk}/complete").json()["data"]
    assert Payment.objects.count() == 1
    assert again["payments"] == first["payments"]


def test_a_refused_completion_makes_no_payment(api_client, s):
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    Cart.objects.filter(pk=cart.pk).update(email=None)
    response = api_client.post(f"{CARTS}/{cart.pk}/complete")
    assert response.status_code == 400
    assert Payment.objects.count() == 0
    assert PaymentSession.objects.get(cart=cart).status == "pending"
