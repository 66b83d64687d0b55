"""Smoke tests for every registered admin: changelist, search, add page and change page answer."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from catalog.services import category_create, collection_create
from commerce.models import OutboxEvent, Store
from commerce.services import api_token_create
from inventory.services import inventory_item_for_variant, stock_location_create
from tests.carts.factories import CartFactory, LineItemFactory
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory, StaffUserFactory
from tests.customers.factories import CustomerFactory
from tests.orders.factories import OrderFactory, OrderItemFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory
from tests.webhooks.factories import webhook
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def _cart():
    cart = CartFactory(sales_channel=SalesChannelFactory())
    LineItemFactory(cart=cart)
    return cart


def _delivery():
    event = OutboxEvent.objects.create(type="order.placed", data={"id": "order_1"})
    return WebhookDelivery.objects.create(
        event=event, subscription=webhook("https://hooks.example.com/x"), max_attempts=3
    )


def _order():
    order = OrderFactory(sales_channel=SalesChannelFactory())
    OrderItemFactory(order=order)
    return order


FACTORIES = {
    "commerce.user": StaffUserFactory,
    "commerce.apitoken": lambda: api_token_create(user=StaffUserFactory()).token,
    "commerce.region": RegionFactory,
    "commerce.shippingoption": ShippingOptionFactory,
    "commerce.store": lambda: Store.objects.get(),
    "saleschannels.saleschannel": SalesChannelFactory,
    "saleschannels.publishableapikey": lambda: PublishableApiKeyFactory(
        sales_channels=[SalesChannelFactory()]
    ),
    "catalog.product": lambda: ProductVariantFactory(
        product=ProductFactory(sales_channels=[SalesChannelFactory()])
    ).product,
    "catalog.productvariant": ProductVariantFactory,
    "customers.customer": CustomerFactory,
    "catalog.productcollection": lambda: collection_create(title="Summer"),
    "catalog.productcategory": lambda: category_create(
        name="Packs", parent_category_id=category_create(name="Gear").pk
    ),
    "carts.cart": _cart,
    "orders.order": _order,
    "auth.group": lambda: Group.objects.create(name="Merchants"),
    "webhooks.webhooksubscription": lambda: webhook("https://hooks.example.com/x"),
    "webhooks.webhookdelivery": _delivery,
    "inventory.stocklocation": lambda: stock_location_create(name="Harbour"),
    "inventory.inventoryitem": lambda: inventory_item_for_variant(
        variant_id=ProductVariantFactory().pk
    ),
}
# Pages a merchant may not open, on purpose: read-only or singleton screens.
NO_ADD = {
    "commerce.store",
    "catalog.productvariant",
    "carts.cart",
    "orders.order",
    "webhooks.webhookdelivery",
    "inventory.inventoryitem",
}


def _registered():
    return sorted(model._meta.label_lower for model in admin.site._registry)


def test_every_registered_admin_has_a_smoke_test():
    assert _registered() == sorted(FACTORIES)


@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_admin_pages_answer(admin_client, label):
    # given
    obj = FACTORIES[label]()
    app_label, model_name = label.split(".")
    base = f"/admin/{app_label}/{model_name}/"

    # when
    changelist = admin_client.get(base, follow=True)
    search = admin_client.get(base + "?q=zz-no-match", follow=True)
    add = admin_client.get(base + "add/")
    change = admin_client.get(f"{base}{obj.pk}/change/")

    # then
    assert changelist.status_code == 200
    assert search.status_code == 200
    assert add.status_code == (403 if label in NO_ADD else 200)
    assert change.status_code == 200
    assert str(obj) in change.content.decode()
