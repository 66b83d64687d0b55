"""Many full checkouts of shared variants at once, with item adds and batch removals: no deadlock.

Guards the lock order of docs/reliability.md ("Lock order"): idempotency key, store, channel,
cart, variants (pk order, FOR NO KEY UPDATE), product↔channel links (product order). Each worker
runs whole checkouts (create a cart with items, add an item, choose shipping, pay, complete) on
its own connection; two more workers pull two products out of the channel and put them back in
batches. The only refusals allowed are the domain's own (a product that left the channel);
a deadlock, a lock timeout or any other database error fails the test.
"""

import random
from functools import partial

import pytest
from django.db.models import Count, Sum

from carts.exceptions import ProductsNotInCartChannel
from carts.models import Cart
from carts.services import (
    ItemInput,
    cart_create,
    cart_line_items_add,
)
from catalog.models import ProductVariant
from catalog.services import sales_channel_products_add, sales_channel_products_remove
from orders.models import Order, OrderItem
from orders.services import cart_complete
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.helpers import checkout_ready
from tests.reliability.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOPPERS = 16
CHECKOUTS_EACH = 3
TOGGLERS = 2
TOGGLES_EACH = 6
STOCK = 10_000


def _checkouts(shop, variants, extras, seed):
    """Run CHECKOUTS_EACH full checkouts; return (orders placed, domain refusals)."""
    rng = random.Random(seed)
    placed = refused = 0
    for _ in range(CHECKOUTS_EACH):
        first = rng.sample(variants, k=3)
        then = rng.choice([*variants, *extras])
        try:
            cart = cart_create(
                region_id=shop.region.pk,
                sales_channel_id=shop.channel.pk,
                email="storm@example.com",
                items=[ItemInput(v, rng.randint(1, 2)) for v in first],
            )
            cart_line_items_add(cart_id=cart.pk, items=[ItemInput(then, 1)])
            checkout_ready(cart.pk, option_id=shop.shipping.pk)
            cart_complete(cart_id=cart.pk)
            placed += 1
        except ProductsNotInCartChannel:
            refused += 1  # an extra product was out of the channel at that moment: allowed
    return placed, refused


def _toggles(channel_id, product_ids):
    """Pull the extra products out of the channel and put them back, in batches."""
    for _ in range(TOGGLES_EACH):
        sales_channel_products_remove(channel_id=channel_id, product_ids=product_ids)
        sales_channel_products_add(channel_id=channel_id, product_ids=product_ids)


def test_concurrent_full_checkouts_of_shared_variants_raise_no_database_error(shop):
    """Guard: the one lock order (carts.locks, catalog.locks, orders.services.cart_complete)."""
    # given: six variants of three products, and two extra products the togglers move
    products = [ProductFactory(title=f"Shared {n}", sales_channels=[shop.channel]) for n in "ABC"]
    variants = [
        ProductVariantFactory(product=p, price__amount=500, inventory_quantity=STOCK).pk
        for p in products
        for _ in range(2)
    ]
    extra_products = [
        ProductFactory(title=f"Extra {n}", sales_channels=[shop.channel]) for n in "XY"
    ]
    extras = [
        ProductVariantFactory(product=p, price__amount=700, inventory_quantity=STOCK).pk
        for p in extra_products
    ]
    extra_ids = [p.pk for p in extra_products]

    # when
    outcomes = run_concurrently(
        *[partial(_checkouts, shop, variants, extras, seed) for seed in range(SHOPPERS)],
        *[partial(_toggles, shop.channel.pk, extra_ids)] * TOGGLERS,
    )

    # then: no worker met a database error (deadlock, lock timeout, ...)
    assert [repr(o.error) for o in outcomes if o.error is not None] == []
    placed = sum(o.value[0] for o in outcomes[:SHOPPERS])
    refused = sum(o.value[1] for o in outcomes[:SHOPPERS])
    assert placed + refused == SHOPPERS * CHECKOUTS_EACH
    assert Order.objects.count() == placed > 0
    # one order per completed cart, none without items
    assert Cart.objects.filter(completed_at__isnull=False).count() == placed
    assert not Order.objects.annotate(n=Count("items")).filter(n=0).exists()
    # stock fully accounted for: what is left plus what was sold is what there was
    sold = dict(OrderItem.objects.values_list("variant_id").annotate(q=Sum("quantity")).order_by())
    for variant in ProductVariant.objects.filter(pk__in=variants + extras):
        assert variant.inventory_quantity + sold.get(variant.pk, 0) == STOCK, variant.pk
