"""Orders outlive what they were bought from, and the schema can be taken down and rebuilt."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from carts.services import ItemInput
from catalog.models import Product, ProductVariant
from catalog.services import product_delete
from commerce.models import Currency, PaymentProvider, Store
from orders.models import Order, OrderItem
from orders.services import cart_complete
from saleschannels.models import SalesChannel
from saleschannels.selectors import default_sales_channel_get
from saleschannels.services import (
    DEFAULT_CHANNEL_DESCRIPTION,
    DEFAULT_CHANNEL_NAME,
    sales_channel_delete,
)
from tests.reliability.shop import ready_cart, variant_in
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(shop):
    """Two orders in B2B (a tee and a mug; the tee again) and one in Web (a cap)."""
    web = SalesChannelFactory(name="Web")
    tee = variant_in(shop.channel, title="Tee", amount=1950, stock=10)
    mug = variant_in(shop.channel, title="Mug", amount=800, stock=10)
    cap = variant_in(web, title="Cap", amount=1200, stock=10)
    placed = [
        cart_complete(cart_id=ready_cart(shop, [ItemInput(tee.pk, 2), ItemInput(mug.pk, 1)])),
        cart_complete(cart_id=ready_cart(shop, [ItemInput(tee.pk, 1)])),
        cart_complete(cart_id=ready_cart(shop, [ItemInput(cap.pk, 3)], channel=web)),
    ]
    return placed, tee, web


def _orders_snapshot() -> list[dict]:
    return list(Order.objects.order_by("pk").values())


def _items_snapshot() -> list[dict]:
    return list(OrderItem.objects.order_by("pk").values())


def _item_rows() -> list[tuple]:
    return list(
        OrderItem.objects.order_by("order__display_id", "title").values_list(
            "order__sales_channel__name", "title", "unit_price", "quantity"
        )
    )


def test_soft_deleting_a_channel_changes_no_order(shop, orders):
    # given
    placed, _, _ = orders
    before_orders, before_items = _orders_snapshot(), _items_snapshot()

    # when
    sales_channel_delete(channel_id=shop.channel.pk)

    # then: every column of every order and item is as it was; orders still filter by channel
    assert _orders_snapshot() == before_orders
    assert _items_snapshot() == before_items
    assert SalesChannel.objects.filter(pk=shop.channel.pk).exists() is False
    assert (
        list(Order.objects.filter(sales_channel_id=shop.channel.pk).order_by("display_id"))
        == placed[:2]
    )


def test_hard_deleting_a_channel_changes_no_order(shop, orders):
    # given
    placed, _, web = orders
    before_orders, before_items = _orders_snapshot(), _items_snapshot()

    # when: the rows go for good, bypassing the soft delete (as a DBA or a script might)
    SalesChannel.all_objects.filter(pk__in=[shop.channel.pk, web.pk]).delete()

    # then: orders keep their channel id (no database constraint on it) and every column
    assert SalesChannel.all_objects.filter(pk__in=[shop.channel.pk, web.pk]).exists() is False
    assert _orders_snapshot() == before_orders
    assert _items_snapshot() == before_items
    assert [o.sales_channel_id for o in placed] == [shop.channel.pk, shop.channel.pk, web.pk]


def test_soft_deleting_a_product_changes_no_order(orders):
    # given
    _, tee, _ = orders
    before_orders, before_items = _orders_snapshot(), _items_snapshot()

    # when
    product_delete(product_id=tee.product_id)

    # then
    assert Product.objects.filter(pk=tee.product_id).exists() is False
    assert _orders_snapshot() == before_orders
    assert _items_snapshot() == before_items


def test_hard_deleting_a_product_keeps_every_item_snapshot(orders):
    # given
    _, tee, _ = orders
    before_orders, before_items = _orders_snapshot(), _items_snapshot()

    # when: the product goes for good, and its variants with it
    Product.all_objects.filter(pk=tee.product_id).delete()

    # then: only the link to the gone variant is cleared; title, price, quantity, product id stay
    assert ProductVariant.all_objects.filter(pk=tee.pk).exists() is False
    assert _orders_snapshot() == before_orders
    expected = [
        item | {"variant_id": None} if item["variant_id"] == tee.pk else item
        for item in before_items
    ]
    assert _items_snapshot() == expected
    assert _item_rows() == [
        ("B2B", "Mug", 800, 1),
        ("B2B", "Tee", 1950, 2),
        ("B2B", "Tee", 1950, 1),
        ("Web", "Cap", 1200, 3),
    ]
    tee_items = OrderItem.objects.filter(title="Tee")
    assert set(tee_items.values_list("product_id", "variant_id")) == {(tee.product_id, None)}


# ---- the schema ----


def _tables_of(app_label: str) -> set[str]:
    prefix = f"{app_label}_"
    return {t for t in connection.introspection.table_names() if t.startswith(prefix)}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_app_migrates_to_zero_and_back():
    # given: the apps in dependency order (each one's tables exist)
    apps = list(settings.LOCAL_APPS)
    tables_before = set(connection.introspection.table_names())
    assert all(_tables_of(app) for app in apps)

    # when: each app is migrated to zero, last app first, then everything forward again
    for app in reversed(apps):
        call_command("migrate", app, "zero", verbosity=0, interactive=False)
        assert _tables_of(app) == set(), app
    call_command("migrate", verbosity=0, interactive=False)

    # then: the same tables, the reference data, and a store with its default channel
    assert set(connection.introspection.table_names()) == tables_before
    assert PaymentProvider.objects.filter(pk="manual", is_installed=True).exists()
    assert Currency.objects.filter(code="usd").exists()
    default = default_sales_channel_get()
    assert (default.name, default.description, default.is_disabled) == (
        DEFAULT_CHANNEL_NAME,
        DEFAULT_CHANNEL_DESCRIPTION,
        False,
    )
    assert Store.objects.get().default_sales_channel_id == default.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flushed_database_gets_its_store_and_default_channel_back():
    # when: `flush` (also what ends every transactional test) empties every table
    call_command("flush", verbosity=0, interactive=False)

    # then: its post-migrate signal recreates the store and its default channel
    default = default_sales_channel_get()
    assert (default.name, default.is_disabled) == (DEFAULT_CHANNEL_NAME, False)
    assert Store.objects.get().default_sales_channel_id == default.pk
