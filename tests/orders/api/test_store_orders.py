import pytest
from django.urls import reverse

from orders.models import Order
from saleschannels.services import sales_channel_delete
from tests.carts.api.store_helpers import CARTS, order_json, ready_cart, shop

pytestmark = pytest.mark.django_db

ORDERS = "/api/store/orders"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def order(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 2)])
    assert api_client.post(f"{CARTS}/{cart.pk}/complete").status_code == 200
    return Order.objects.get()


def test_routes_are_named_for_reverse():
    assert reverse("store-api:order-lookup") == ORDERS
    assert reverse("store-api:order-detail", args=["order_1"]) == f"{ORDERS}/order_1"
    assert reverse("store-api:order-cart", args=["cart_1"]) == f"{ORDERS}/cart/cart_1"


def test_retrieve(api_client, order):
    response = api_client.get(f"{ORDERS}/{order.pk}")
    assert response.status_code == 200
    assert response.json() == {"order": order_json(order)}


def test_retrieve_with_the_sales_channel_expanded(api_client, s, order):
    response = api_client.get(
        f"{ORDERS}/{order.pk}?expand=sales_channel,shipping_address,items,region,shipping_methods"
    )
    assert response.json() == {"order": order_json(order, sales_channel=True, payments=False)}
    assert response.json()["order"]["sales_channel"]["name"] == "Wholesale"


def test_fields_and_expand(api_client, s, order):
    response = api_client.get(
        f"{ORDERS}/{order.pk}?fields=display_id,sales_channel_id,total&expand=sales_channel"
    )
    assert response.json()["order"] == {
        "id": order.pk,
        "display_id": order.display_id,
        "sales_channel_id": s.wholesale.pk,
        "total": 3900 + 1000,
        "sales_channel": {
            "id": s.wholesale.pk,
            "created_at": response.json()["order"]["sales_channel"]["created_at"],
            "updated_at": response.json()["order"]["sales_channel"]["updated_at"],
            "deleted_at": None,
            "name": "Wholesale",
            "description": "B2B storefront",
            "is_disabled": False,
            "metadata": None,
        },
    }


def test_an_order_keeps_the_id_of_its_deleted_channel(api_client, s, order):
    # Medusa keeps the order's sales_channel_id after the channel's delete; the expanded channel
    # is null
    sales_channel_delete(channel_id=s.wholesale.pk)
    response = api_client.get(f"{ORDERS}/{order.pk}?fields=sales_channel_id&expand=sales_channel")
    assert response.json() == {
        "order": {"id": order.pk, "sales_channel_id": s.wholesale.pk, "sales_channel": None}
    }


def test_retrieve_unknown_is_404(api_client):
    response = api_client.get(f"{ORDERS}/order_nope")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Order with id: order_nope was not found",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("expand=swaps", "Relations [swaps] are not valid"),
        ("fields=password", "Fields [password] are not valid"),
        ("foo=1", "property foo should not exist"),
    ],
)
def test_retrieve_bad_query_is_a_400(api_client, order, query, message):
    response = api_client.get(f"{ORDERS}/{order.pk}?{query}")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_retrieve_query_count(api_client, s, order, django_assert_num_queries):
    # 1 = the order with region, address and cart; 2 = items with variants; 3 = shipping methods;
    # 4 = payments
    with django_assert_num_queries(4):
        api_client.get(f"{ORDERS}/{order.pk}")
    # + the channel is joined, not queried
    with django_assert_num_queries(3):
        api_client.get(f"{ORDERS}/{order.pk}?expand=items,sales_channel,shipping_methods")


def test_retrieve_by_cart(api_client, order):
    response = api_client.get(f"{ORDERS}/cart/{order.cart_id}")
    assert response.status_code == 200
    assert response.json() == {"order": order_json(order)}


def test_retrieve_by_a_cart_without_order_is_404(api_client, s):
    cart = ready_cart(api_client, s, channel=s.wholesale, items=[(s.shirt_s, 1)])
    response = api_client.get(f"{ORDERS}/cart/{cart.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Order with cart id: {cart.pk} was not found",
    }


def test_lookup_by_display_id_and_email(api_client, order):
    response = api_client.get(f"{ORDERS}?display_id={order.display_id}&email=BUYER@example.com")
    assert response.status_code == 200
    assert response.json() == {"order": order_json(order)}


def test_lookup_with_a_wrong_email_is_404(api_client, order):
    response = api_client.get(f"{ORDERS}?display_id={order.display_id}&email=other@example.com")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Order with display id: {order.display_id} and email: other@example.com was not found",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "",
            "display_id must be a number conforming to the specified constraints, email must be an email",
        ),
        ("display_id=1", "email must be an email"),
        (
            "display_id=x&email=a@example.com",
            "display_id must be a number conforming to the specified constraints",
        ),
        ("display_id=1&email=nope", "email must be an email"),
        ("display_id=1&email=a@example.com&q=1", "property q should not exist"),
    ],
)
def test_lookup_needs_both_parts(api_client, query, message):
    response = api_client.get(f"{ORDERS}?{query}")
    assert response.status_code == 400
    body = {"type": "invalid_data", "message": message}
    if ", " in message:
        body["errors"] = message.split(", ")
    assert response.json() == body
