"""Query counts with stock locations (issue 20): the store list costs what it cost before
locations existed (the channel's quantity is a subquery of the variants' own query), and a
completion costs the same for one line or four."""

import pytest

from inventory.models import InventoryItem
from inventory.services import (
    inventory_level_create,
    sales_channel_location_add,
    stock_location_create,
)
from orders.models import Order
from tests.carts.api.store_helpers import CARTS, product, ready_cart, shop
from tests.helpers import COUNTS_KEPT, MISSES

pytestmark = pytest.mark.django_db

LIST_URL = "/api/store/products"


@pytest.fixture
def s(default_channel):
    return shop(default_channel)


def _stock(channel, variants, *, quantity=50):
    house = stock_location_create(name="House")
    sales_channel_location_add(channel_id=channel.pk, location_id=house.pk)
    for item in InventoryItem.objects.filter(variant__in=variants):
        inventory_level_create(item_id=item.pk, location_id=house.pk, stocked_quantity=quantity)


def test_store_list_costs_the_same_with_stock_locations(api_client, s, django_assert_num_queries):
    variants = [
        v for p in (product(f"P{n}", [s.default]) for n in range(5)) for v in p.variants.all()
    ]
    # 1 = the default channel; 2 = the kept count (where not kept, COUNTS_KEPT: the listings
    # version, then the count and the next scheduled listing, cold; a stock write leaves the
    # count cached); then the page's ids and versions; the misses (MISSES: their JSON built by
    # PostgreSQL, else their rows; images, tags; options; variants (with the channel's
    # quantity), their option values, prices)
    with django_assert_num_queries((3 if COUNTS_KEPT else 5) + MISSES):
        before = api_client.get(f"{LIST_URL}?limit=5")
    _stock(s.default, variants, quantity=7)
    with django_assert_num_queries(3 + MISSES):
        after = api_client.get(f"{LIST_URL}?limit=5")

    def quantities(response):
        return {v["inventory_quantity"] for p in response.json()["products"] for v in p["variants"]}

    assert quantities(before) == {100}  # the variants' own, while no location exists
    assert quantities(after) == {7}  # the default channel's location


def test_cart_complete_with_locations_costs_the_same_for_one_line_or_four(
    api_client, s, django_assert_num_queries
):
    extras = [product(f"Extra {n}", [s.default]).variants.get() for n in range(3)]
    _stock(s.default, [s.mug, *extras])
    one = ready_cart(api_client, s, channel=s.default, items=[(s.mug, 1)])
    four = ready_cart(
        api_client, s, channel=s.default, items=[(s.mug, 1), *((v, 2) for v in extras)]
    )
    # as without locations (tests/perf/test_store_write_query_counts.py, 23), except: the
    # variants are read twice (the locking read finds a location exists, then a plain read)
    # and not counted down (-1 UPDATE); the channel's location links (held), the levels
    # (locked), UPDATE the levels and INSERT the reservations: 23 + 1 - 1 + 4 = 27
    for cart, items in ((one, 1), (four, 4)):
        with django_assert_num_queries(27):
            response = api_client.post(f"{CARTS}/{cart.pk}/complete")
        assert response.status_code == 200
        order = Order.objects.get(cart=cart)
        assert order.items.count() == items
