from datetime import UTC, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from carts.exceptions import ProductsNotInCartChannel, ProductsNotYetPurchasable
from carts.models import Cart
from carts.services import (
    ItemInput,
    cart_create,
    cart_shipping_method_add,
    cart_update,
)
from catalog.models import ProductSalesChannel, ProductVariant
from catalog.services import (
    ListingInput,
    product_channel_listings_set,
    sales_channel_products_remove,
)
from orders.exceptions import CartPaymentMissing, IdempotencyKeyReused
from orders.models import Order, OrderItem
from orders.services import cart_complete, order_display_id_next
from saleschannels.models import SalesChannel
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.helpers import checkout_ready
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout():
    """A B2B cart with 2 tees (19.50 each), shipping 10.00, 25 % tax, manual payment selected."""
    region = RegionFactory(currency_code="usd", tax_rate=25)
    option = ShippingOptionFactory(region=region, amount=1000)
    b2b = SalesChannelFactory(name="B2B")
    tee = ProductVariantFactory(
        product=ProductFactory(title="Tee", sales_channels=[b2b]),
        price__amount=1950,
        inventory_quantity=5,
    )
    cart = cart_create(
        region_id=region.pk,
        sales_channel_id=b2b.pk,
        email="a@example.com",
        items=[ItemInput(tee.pk, 2)],
    )
    checkout_ready(cart.pk, option_id=option.pk)
    return cart, tee, b2b


def test_order_carries_the_carts_channel_and_totals(checkout):
    cart, tee, b2b = checkout
    order = cart_complete(cart_id=cart.pk)
    assert order.sales_channel_id == b2b.pk
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        3900,
        1000,
        1225,
        6125,
    )
    item = OrderItem.objects.get(order=order)
    assert (item.title, item.unit_price, item.quantity, item.product_id) == (
        "Tee",
        1950,
        2,
        tee.product_id,
    )
    cart.refresh_from_db()
    assert cart.completed_at is not None


def test_completion_is_idempotent(checkout):
    cart, tee, _ = checkout
    first = cart_complete(cart_id=cart.pk)
    second = cart_complete(cart_id=cart.pk)
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    tee.refresh_from_db()
    assert tee.inventory_quantity == 3  # counted once


def test_idempotency_key_returns_the_same_order_and_cannot_be_reused(checkout):
    cart, _, _ = checkout
    order = cart_complete(cart_id=cart.pk, idempotency_key="abc")
    assert cart_complete(cart_id=cart.pk, idempotency_key="abc").pk == order.pk
    with pytest.raises(IdempotencyKeyReused) as error:
        cart_complete(cart_id="cart_other", idempotency_key="abc")
    assert (error.value.type, error.value.code) == ("conflict", "invalid_state_error")


def test_the_database_forbids_two_orders_with_one_idempotency_key():
    """The partial unique constraint holds even for a write that bypasses `cart_complete`."""
    first = OrderFactory(idempotency_key="abc")
    OrderFactory(idempotency_key=None)
    OrderFactory(idempotency_key=None)  # orders without a key are not constrained
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(idempotency_key="abc")
    assert list(Order.objects.filter(idempotency_key="abc")) == [first]
    assert Order.objects.count() == 3


def test_completion_refuses_products_that_left_the_channel(checkout):
    cart, tee, b2b = checkout
    sales_channel_products_remove(channel_id=b2b.pk, product_ids=[tee.product_id])
    with pytest.raises(ProductsNotInCartChannel) as error:
        cart_complete(cart_id=cart.pk)
    assert error.value.message == (
        "The products [Tee] must belong to the sales channel on which the cart has been created."
    )
    assert Order.objects.exists() is False
    tee.refresh_from_db()
    assert tee.inventory_quantity == 5
    assert Cart.objects.get(pk=cart.pk).completed_at is None


def test_completion_needs_a_selected_payment_session(checkout):
    cart, _, _ = checkout
    cart_update(cart_id=cart.pk, email="b@example.com")  # does not reset sessions
    cart_shipping_method_add(
        cart_id=cart.pk, option_id=cart.shipping_methods.get().shipping_option_id
    )
    with pytest.raises(CartPaymentMissing):
        cart_complete(cart_id=cart.pk)
    assert Order.objects.exists() is False


def test_order_keeps_its_channel_after_the_channel_is_gone(checkout):
    cart, _, b2b = checkout
    order = cart_complete(cart_id=cart.pk)
    SalesChannel.all_objects.filter(pk=b2b.pk).delete()
    order = Order.objects.get(pk=order.pk)
    assert order.sales_channel_id == b2b.pk
    assert OrderItem.objects.filter(order=order).count() == 1


def test_order_items_survive_product_deletion(checkout):
    cart, tee, _ = checkout
    order = cart_complete(cart_id=cart.pk)
    ProductVariant.all_objects.filter(pk=tee.pk).delete()
    item = OrderItem.objects.get(order=order)
    assert (item.variant_id, item.title, item.unit_price) == (None, "Tee", 1950)


def test_display_ids_increase():
    first, second = order_display_id_next(), order_display_id_next()
    assert second == first + 1


# ---- the listing re-checked at completion (issue 19) ----

NOW = datetime(2026, 12, 1, tzinfo=UTC)
OPENS = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _unchanged(cart, tee):
    assert Order.objects.exists() is False
    tee.refresh_from_db()
    assert tee.inventory_quantity == 5
    assert Cart.objects.get(pk=cart.pk).completed_at is None


def test_completion_names_the_date_a_purchase_window_opens(checkout):
    cart, tee, b2b = checkout
    product_channel_listings_set(
        product_id=tee.product_id,
        listings=[ListingInput(tee.product_id, b2b.pk, {"available_for_purchase_at": OPENS})],
    )
    with time_machine.travel(NOW, tick=False), pytest.raises(ProductsNotYetPurchasable) as error:
        cart_complete(cart_id=cart.pk)
    assert (
        error.value.message == "Not yet available for purchase: Tee from 3 Dec 2026 at 09:00 UTC."
    )
    _unchanged(cart, tee)
    with time_machine.travel(OPENS, tick=False):
        cart_complete(cart_id=cart.pk)
    assert Order.objects.count() == 1


def test_completion_refuses_a_product_unpublished_in_the_channel(checkout):
    cart, tee, b2b = checkout
    ProductSalesChannel.objects.filter(product_id=tee.product_id, sales_channel=b2b).update(
        is_published=False
    )
    with pytest.raises(ProductsNotInCartChannel):
        cart_complete(cart_id=cart.pk)
    _unchanged(cart, tee)
