"""A line's thumbnail is its product's picture, shown as the product shows it: an absolute URL.

Pictures kept in the local storage are recorded as `/media/…`; the cart page and the order
confirmation of a storefront on another host (the Medusa Next.js starter) load the line's
`thumbnail` as it is, so it must carry the API's host, as `product.thumbnail` does.
"""

import pytest

from catalog.models import Product
from orders.models import Order
from tests.carts.api.store_helpers import ready_cart, shop

pytestmark = pytest.mark.django_db

LOCAL = "/media/products/mug.png"
ABSOLUTE = "http://testserver/media/products/mug.png"
ELSEWHERE = "https://cdn.example.com/mug.png"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


def _thumbnail(s, value):
    Product.objects.filter(pk=s.mug.product_id).update(thumbnail=value)


def test_a_local_picture_is_absolute_on_the_cart_the_store_order_and_the_admin_order(
    api_client, admin_api_client, s
):
    _thumbnail(s, LOCAL)
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])

    line = api_client.get(f"/api/store/carts/{cart.pk}").json()["cart"]["items"][0]
    assert line["thumbnail"] == ABSOLUTE
    assert api_client.post(f"/api/store/carts/{cart.pk}/complete").status_code == 200
    order = Order.objects.get(cart=cart)
    assert order.items.get().thumbnail == LOCAL  # stored as the storage records it

    store_item = api_client.get(f"/api/store/orders/{order.pk}").json()["order"]["items"][0]
    admin_item = admin_api_client.get(f"/api/admin/orders/{order.pk}").json()["order"]["items"][0]
    assert store_item["thumbnail"] == ABSOLUTE
    assert admin_item["thumbnail"] == ABSOLUTE


def test_an_absolute_picture_and_no_picture_are_shown_as_they_are(api_client, s):
    _thumbnail(s, ELSEWHERE)
    cart = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    assert (
        api_client.get(f"/api/store/carts/{cart.pk}").json()["cart"]["items"][0]["thumbnail"]
        == ELSEWHERE
    )

    _thumbnail(s, None)
    other = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    assert (
        api_client.get(f"/api/store/carts/{other.pk}").json()["cart"]["items"][0]["thumbnail"]
        is None
    )
