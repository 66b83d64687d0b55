"""Availability per channel, cart add and completion against the channel's locations (issue 20)."""

import pytest

from carts.models import LineItem
from carts.services import ItemInput, cart_create, cart_line_item_update, cart_line_items_add
from catalog.models import ProductVariant
from commerce.models import OutboxEvent
from inventory import selectors
from inventory.exceptions import ChannelHasNoStockLocation, InsufficientInventory
from inventory.models import InventoryItem, InventoryLevel, ReservationItem
from inventory.services import (
    inventory_level_update,
    sales_channel_location_remove,
    stock_location_delete,
)
from orders.models import Order
from orders.services import cart_complete
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.helpers import pay
from tests.inventory.stock import stock_create
from tests.reliability.shop import ready_cart, shop_create
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def _levels(stock):
    return {
        level.location_id: (level.stocked_quantity, level.reserved_quantity)
        for level in InventoryLevel.objects.filter(inventory_item__variant=stock.variant)
    }


def test_each_channel_sums_its_own_distinct_locations():
    stock = stock_create(shared=5, web_only=3, b2b_only=2)

    web = selectors.product_channel_availability(
        product_id=stock.variant.product_id, channel_id=stock.web.pk
    )
    b2b = selectors.product_channel_availability(
        product_id=stock.variant.product_id, channel_id=stock.b2b.pk
    )
    both = selectors.variants_available(
        variant_ids=[stock.variant.pk], channel_ids=[stock.web.pk, stock.b2b.pk]
    )

    assert web == {stock.variant.pk: 8}  # its house 3 + shared 5
    assert b2b == {stock.variant.pk: 7}  # its house 2 + shared 5
    assert both == {stock.variant.pk: 10}  # the shared 5 counted once, never 15


def test_reserved_stock_is_not_available():
    stock = stock_create(shared=5, web_only=3)
    cart_id = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 4)], channel=stock.web)
    cart_complete(cart_id=cart_id)

    available = selectors.variants_available(variant_ids=[stock.variant.pk], channel_ids=None)

    assert available == {stock.variant.pk: 10 - 4}


def test_a_channel_without_location_sells_nothing_and_says_so():
    stock = stock_create()
    lonely = SalesChannelFactory(name="Kiosk")
    stock.variant.product.sales_channels.add(lonely)
    cart = cart_create(region_id=stock.shop.region.pk, sales_channel_id=lonely.pk)

    with pytest.raises(ChannelHasNoStockLocation) as refused:
        cart_line_items_add(cart_id=cart.pk, items=[ItemInput(stock.variant.pk, 1)])

    assert str(refused.value.message) == (
        "Sales channel Kiosk has no stock location, so it cannot sell products with managed "
        "inventory. Link a stock location to it first."
    )
    assert not LineItem.objects.filter(cart=cart).exists()
    assert selectors.channel_has_stock_location(channel_id=lonely.pk) is False
    assert selectors.channel_has_stock_location(channel_id=stock.web.pk) is True


def test_cart_add_checks_the_channels_locations_only():
    stock = stock_create(shared=5, web_only=3, b2b_only=2)
    web_cart = cart_create(region_id=stock.shop.region.pk, sales_channel_id=stock.web.pk)
    b2b_cart = cart_create(region_id=stock.shop.region.pk, sales_channel_id=stock.b2b.pk)

    cart_line_items_add(cart_id=web_cart.pk, items=[ItemInput(stock.variant.pk, 8)])
    with pytest.raises(InsufficientInventory):
        cart_line_items_add(cart_id=b2b_cart.pk, items=[ItemInput(stock.variant.pk, 8)])
    line = LineItem.objects.get(cart=web_cart)
    with pytest.raises(InsufficientInventory):
        cart_line_item_update(cart_id=web_cart.pk, line_id=line.pk, quantity=9)

    assert LineItem.objects.get(cart=web_cart).quantity == 8
    assert not LineItem.objects.filter(cart=b2b_cart).exists()


def test_completion_reserves_in_priority_order_and_splits_a_line():
    stock = stock_create(shared=5, web_only=3, b2b_only=2)
    cart_id = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 5)], channel=stock.web)

    order = cart_complete(cart_id=cart_id)

    item = order.items.get()
    reservations = {
        r.location_id: r.quantity for r in ReservationItem.objects.filter(order_item=item)
    }
    assert reservations == {stock.web_house.pk: 3, stock.shared.pk: 2}
    assert _levels(stock) == {
        stock.web_house.pk: (3, 3),
        stock.shared.pk: (5, 2),
        stock.b2b_house.pk: (2, 0),
    }
    # with locations, the variant's own quantity no longer moves
    assert ProductVariant.objects.get(pk=stock.variant.pk).inventory_quantity == 100


def test_priority_decides_which_location_sells_first():
    stock = stock_create(shared=5, web_only=3, web_house_first=False)
    cart_id = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 2)], channel=stock.web)

    order = cart_complete(cart_id=cart_id)

    assert list(
        ReservationItem.objects.filter(order_item__order=order).values_list(
            "location_id", "quantity"
        )
    ) == [(stock.shared.pk, 2)]


def test_completion_short_of_stock_refuses_and_changes_nothing():
    stock = stock_create(shared=5, web_only=3)
    cart_id = ready_cart(stock.shop, [ItemInput(stock.variant.pk, 8)], channel=stock.web)
    inventory_level_update(
        item_id=InventoryItem.objects.get(variant=stock.variant).pk,
        location_id=stock.shared.pk,
        stocked_quantity=4,
    )
    before = _levels(stock)

    with pytest.raises(InsufficientInventory):
        cart_complete(cart_id=cart_id)

    assert _levels(stock) == before
    assert not Order.objects.exists()
    assert not ReservationItem.objects.exists()


def test_an_unlinked_or_deleted_location_no_longer_sells():
    stock = stock_create(shared=5, web_only=3)
    sales_channel_location_remove(channel_id=stock.web.pk, location_id=stock.shared.pk)
    assert selectors.variants_available(
        variant_ids=[stock.variant.pk], channel_ids=[stock.web.pk]
    ) == {stock.variant.pk: 3}

    stock_location_delete(location_id=stock.web_house.pk)

    assert selectors.variants_available(
        variant_ids=[stock.variant.pk], channel_ids=[stock.web.pk]
    ) == {stock.variant.pk: 0}
    types = list(OutboxEvent.objects.order_by("created_at").values_list("type", flat=True))
    assert types[-2:] == ["sales_channel.location_removed", "stock_location.deleted"]


def test_unmanaged_and_backorder_variants_are_not_counted():
    stock = stock_create(shared=0, web_only=0)
    free = ProductVariantFactory(
        product=stock.variant.product, manage_inventory=False, inventory_quantity=0
    )
    backorder = ProductVariantFactory(
        product=stock.variant.product, allow_backorder=True, inventory_quantity=0
    )
    cart_id = ready_cart(
        stock.shop, [ItemInput(free.pk, 3), ItemInput(backorder.pk, 2)], channel=stock.web
    )

    order = cart_complete(cart_id=cart_id)

    assert order.items.count() == 2
    assert not ReservationItem.objects.exists()


def test_without_any_stock_location_the_variant_quantity_is_used():
    shop = shop_create()
    variant = ProductVariantFactory(
        product=ProductFactory(sales_channels=[shop.channel]), inventory_quantity=3
    )
    cart = cart_create(region_id=shop.region.pk, sales_channel_id=shop.channel.pk, email="a@b.co")

    with pytest.raises(InsufficientInventory):
        cart_line_items_add(cart_id=cart.pk, items=[ItemInput(variant.pk, 4)])
    cart_line_items_add(cart_id=cart.pk, items=[ItemInput(variant.pk, 3)])
    from carts.services import cart_shipping_method_add

    cart_shipping_method_add(cart_id=cart.pk, option_id=shop.shipping.pk)
    pay(cart.pk)
    cart_complete(cart_id=cart.pk)

    assert ProductVariant.objects.get(pk=variant.pk).inventory_quantity == 0
    assert selectors.channel_has_stock_location(channel_id=shop.channel.pk) is True
    assert not ReservationItem.objects.exists()


def test_new_variants_get_their_inventory_item():
    from catalog.services import VariantInput, variant_create

    product = ProductFactory()
    managed = variant_create(product_id=product.pk, variant=VariantInput(title="M", sku="M-1"))
    free = variant_create(
        product_id=product.pk, variant=VariantInput(title="F", manage_inventory=False)
    )

    assert InventoryItem.objects.get(variant=managed).sku == "M-1"
    assert not InventoryItem.objects.filter(variant=free).exists()
