"""The cart screens of the Django admin: read-only, so no cart item can be added past the rules."""

import pytest

from carts.models import Cart, LineItem
from tests.carts.factories import CartFactory, LineItemFactory
from tests.catalog.factories import ProductVariantFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/carts/cart/"


def _change_url(cart):
    return f"{LIST_URL}{cart.pk}/change/"


def test_list_with_channel_filter(admin_client):
    web, app = SalesChannelFactory.create_batch(2)
    in_web = CartFactory(sales_channel=web, email="web@example.com")
    CartFactory(sales_channel=app)

    response = admin_client.get(f"{LIST_URL}?sales_channel={web.pk}")

    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [in_web.pk]
    assert "web@example.com" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    web = SalesChannelFactory()
    # 1 session, 2 user, 3 channel filter choices, 4 COUNT(*), 5 the page with channel and region
    CartFactory.create_batch(2, sales_channel=web)
    with django_assert_num_queries(5):
        admin_client.get(LIST_URL)
    CartFactory.create_batch(30, sales_channel=web)
    with django_assert_num_queries(5):
        admin_client.get(LIST_URL)


def test_detail_shows_items_read_only(admin_client):
    cart = CartFactory(sales_channel=SalesChannelFactory())
    LineItemFactory(cart=cart, title="Blue shirt", unit_price=1250, quantity=2)

    response = admin_client.get(_change_url(cart))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Blue shirt" in html
    assert "12.50 USD" in html
    assert 'name="items-MAX_NUM_FORMS" value="0"' in html  # the inline takes no new rows
    assert 'name="_save"' not in html


def test_admin_cannot_create_carts_or_cart_items(admin_client):
    # given: a cart in one channel, and a variant whose product is not in that channel
    channel = SalesChannelFactory()
    cart = CartFactory(sales_channel=channel)
    foreign = ProductVariantFactory()
    item_post = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-cart": cart.pk,
        "items-0-variant": foreign.pk,
        "items-0-title": "Smuggled",
        "items-0-unit_price": "1",
        "items-0-quantity": "1",
    }

    # when
    add_cart = admin_client.post(LIST_URL + "add/", {"region": cart.region_id, **item_post})
    change_cart = admin_client.post(_change_url(cart), item_post)
    add_item = admin_client.get("/admin/carts/lineitem/add/")

    # then
    assert (add_cart.status_code, change_cart.status_code, add_item.status_code) == (403, 403, 404)
    assert Cart.objects.count() == 1
    assert LineItem.objects.exists() is False


def test_carts_cannot_be_deleted(admin_client):
    cart = CartFactory()
    response = admin_client.post(f"{LIST_URL}{cart.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Cart.objects.filter(pk=cart.pk).exists()
