"""Query counts of the store's write paths (issue 7): fixed, small, and the same whatever the
cart holds. Each count is the whole request: the service's transaction and what the response
reads (a cart created or added to renders from what the service holds, issue 23; what it does
not hold is read after the transaction). (The tests run inside a transaction, so the services' atomic blocks appear as
SAVEPOINT / RELEASE SAVEPOINT pairs where a real request has BEGIN / COMMIT.)"""

import pytest

from carts.models import Cart, LineItem
from orders.models import Order, OrderItem
from tests.carts.api.store_helpers import CARTS, product, ready_cart, shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


@pytest.fixture
def extra_variants(s):
    """Three more products of the default channel, with a variant each."""
    return [product(f"Extra {n}", [s.default], eur=1000 + n).variants.get() for n in range(3)]


def _items(*variants):
    return [{"variant_id": variant.pk, "quantity": 1} for variant in variants]


def test_cart_create_without_items(api_client, s, django_assert_num_queries):
    # 1 = savepoint; 2 = the region; 3 = the channel; 4 = INSERT the cart; 5 = release;
    # 6 = the region's payment providers for the response (a new cart has no items, shipping
    # methods or payment sessions; its region, channel and address are the ones just written)
    with django_assert_num_queries(6):
        response = api_client.post(CARTS, {"region_id": s.eu.pk, "sales_channel_id": s.default.pk})
    assert response.status_code == 200
    assert Cart.objects.filter(pk=response.json()["cart"]["id"]).exists()


def test_cart_create_with_the_email_of_a_known_guest(api_client, s, django_assert_num_queries):
    body = {"region_id": s.eu.pk, "sales_channel_id": s.default.pk, "email": "guest@example.com"}
    api_client.post(CARTS, body)  # makes the guest customer of that email
    # 1 = savepoint; 2 = the region; 3 = the channel; 4 = the guest customer of the email (no
    # savepoint of its own: only creating one needs it); 5 = INSERT the cart; 6 = release;
    # 7 = the region's payment providers for the response
    with django_assert_num_queries(7):
        response = api_client.post(CARTS, body)
    assert response.status_code == 200
    assert response.json()["cart"]["email"] == "guest@example.com"
    assert Cart.objects.filter(email="guest@example.com").count() == 2


def test_cart_create_with_items_costs_the_same_for_one_item_or_four(
    api_client, s, extra_variants, django_assert_num_queries
):
    body = {"region_id": s.eu.pk, "sales_channel_id": s.default.pk}
    # 1 = savepoint; 2 = the region; 3 = the channel; 4 = INSERT the cart; 5 = the variants
    # with their products and prices; 6 = the channel check; 7 = INSERT the lines (a new cart
    # has no lines to merge with, no payment sessions to drop); 8 = release; 9 = the region's
    # payment providers for the response
    with django_assert_num_queries(9):
        one = api_client.post(CARTS, {**body, "items": _items(s.mug)})
    with django_assert_num_queries(9):
        four = api_client.post(CARTS, {**body, "items": _items(s.mug, *extra_variants)})
    assert (one.status_code, four.status_code) == (200, 200)
    assert (len(one.json()["cart"]["items"]), len(four.json()["cart"]["items"])) == (1, 4)


def test_line_item_add_costs_the_same_on_a_cart_of_one_line_or_four(
    api_client, s, extra_variants, django_assert_num_queries
):
    small = api_client.post(CARTS, {"region_id": s.eu.pk, "items": _items(s.mug)}).json()
    big = api_client.post(
        CARTS, {"region_id": s.eu.pk, "items": _items(s.mug, *extra_variants)}
    ).json()
    # 0 = whose cart it is (a customer account's cart answers only to its owner);
    # 1 = savepoint; 2 = the cart (locked) with its region, channel and addresses; 3 = the
    # variant with its product and price; 4 = the channel check; 5 = the cart's lines (with
    # their variants and products: the response's items); 6 = INSERT the line; 7 = drop stale
    # payment sessions; 8 = touch the cart; 9 = release; 10-11 = for the response, the shipping
    # methods and the region's payment providers
    for cart, lines in ((small, 2), (big, 5)):
        with django_assert_num_queries(12):
            response = api_client.post(
                f"{CARTS}/{cart['cart']['id']}/line-items",
                {"variant_id": s.sweatshirt.pk, "quantity": 1},
            )
        assert response.status_code == 200
        assert LineItem.objects.filter(cart_id=cart["cart"]["id"]).count() == lines


def test_line_item_add_refused_by_the_channel_check_writes_nothing(
    api_client, s, django_assert_num_queries
):
    cart = api_client.post(
        CARTS, {"region_id": s.eu.pk, "sales_channel_id": s.wholesale.pk}
    ).json()["cart"]
    # 0 = whose cart it is; 1 = savepoint; 2 = the cart (locked); 3 = the variant; 4 = the
    # channel check, which refuses it before any write; 5-6 = rollback to and release the savepoint
    with django_assert_num_queries(7):
        response = api_client.post(
            f"{CARTS}/{cart['id']}/line-items", {"variant_id": s.mug.pk, "quantity": 1}
        )
    assert response.status_code == 400
    assert LineItem.objects.filter(cart_id=cart["id"]).exists() is False


def test_cart_complete_costs_the_same_for_one_line_or_four(
    api_client, s, extra_variants, django_assert_num_queries
):
    one = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    four = ready_cart(
        api_client, s, channel=s.default, items=[(s.mug, 1), *((v, 2) for v in extra_variants)]
    )
    # 0 = whose cart it is; 1 = savepoint; 2 = the cart (locked) with its region; 3 = its lines; 4 = its shipping
    # 0 = whose cart it is (customers); then 1 = savepoint; 2 = the cart (locked) with its region;
    # 3 = its lines; 4 = its shipping
    # methods; 5 = the selected payment session; 6 = the variants (locked); 7 = the channel
    # check (locks the links); 8 = UPDATE stock; 9 = the next display id; 10 = the cart's
    # shipping address; 11 = INSERT the order; 12 = INSERT its items; 13 = authorise the
    # payment session; 14 = INSERT the payment; 15 = complete the cart; 16 = bump the render
    # versions of the products whose stock went down (issue 23; one upsert); 17 = INSERT the
    # order.placed and cart.completed outbox events (issue 21; one statement); 18 = release;
    # 19-22 = the order for the response (with its items, shipping methods and payments)
    for cart, items in ((one, 1), (four, 4)):
        with django_assert_num_queries(23):
            response = api_client.post(f"{CARTS}/{cart.pk}/complete")
        assert response.status_code == 200
        order = Order.objects.get(cart=cart)
        assert OrderItem.objects.filter(order=order).count() == items
