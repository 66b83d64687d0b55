"""Two channels, A (the scoped user's) and B, with products, orders, carts and keys in each."""

from __future__ import annotations

from dataclasses import dataclass

from carts.models import Cart
from catalog.models import Product
from commerce.models import Region, User
from commerce.services import user_create
from orders.models import Order
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.services import staff_scope_set
from tests.catalog.factories import ProductFactory
from tests.commerce.factories import RegionFactory
from tests.orders.factories import OrderFactory
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory


@dataclass(frozen=True)
class ScopeShop:
    a: SalesChannel
    b: SalesChannel
    region: Region
    product_a: Product
    product_b: Product
    product_ab: Product
    order_a: Order
    order_b: Order
    cart_a: Cart
    cart_b: Cart
    key_a: PublishableApiKey
    key_b: PublishableApiKey
    key_ab: PublishableApiKey
    key_none: PublishableApiKey
    clerk: User  # the Admin role, scoped to channel A


def scope_shop_create() -> ScopeShop:
    a = SalesChannelFactory(name="Web A")
    b = SalesChannelFactory(name="B2B B")
    region = RegionFactory()
    clerk = user_create(email="clerk@example.com", password="a-long-password", role="admin")
    staff_scope_set(user_id=clerk.pk, sales_channel_ids=[a.pk])
    return ScopeShop(
        a=a,
        b=b,
        region=region,
        product_a=ProductFactory(title="Only A", sales_channels=[a]),
        product_b=ProductFactory(title="Only B", sales_channels=[b]),
        product_ab=ProductFactory(title="A and B", sales_channels=[a, b]),
        order_a=OrderFactory(region=region, sales_channel=a, email="a@example.com"),
        order_b=OrderFactory(region=region, sales_channel=b, email="b@example.com"),
        cart_a=Cart.objects.create(region=region, sales_channel=a, email="ca@example.com"),
        cart_b=Cart.objects.create(region=region, sales_channel=b, email="cb@example.com"),
        key_a=PublishableApiKeyFactory(title="Key A", sales_channels=[a]),
        key_b=PublishableApiKeyFactory(title="Key B", sales_channels=[b]),
        key_ab=PublishableApiKeyFactory(title="Key AB", sales_channels=[a, b]),
        key_none=PublishableApiKeyFactory(title="Key none"),
        clerk=User.objects.get(pk=clerk.pk),
    )
