"""A small store for the security tests: built through the factories and the services."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Max

from carts.services import ItemInput, cart_create
from catalog.models import Product, ProductStatus
from commerce.models import Region, ShippingOption, User
from commerce.services import api_token_create
from orders.models import Order
from orders.services import cart_complete
from saleschannels.models import PublishableApiKey, SalesChannel
from saleschannels.selectors import default_sales_channel_get
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory, StaffUserFactory
from tests.helpers import checkout_ready
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory


@dataclass(frozen=True)
class SecurityShop:
    admin: User
    token: str
    region: Region
    shipping: ShippingOption
    default_channel: SalesChannel
    channel: SalesChannel
    published: Product
    draft: Product
    key: PublishableApiKey
    variant_id: str
    cart_id: str
    line_id: str
    order: Order


def security_shop_create() -> SecurityShop:
    """A staff user with an API token, a region, two channels, products, a key, a cart and an order."""
    admin = StaffUserFactory(email="security-admin@example.com")
    token = api_token_create(user=admin, name="security").raw
    region = RegionFactory(currency_code="usd", tax_rate=0)
    shipping = ShippingOptionFactory(region=region, amount=500)
    default_channel = default_sales_channel_get()
    channel = SalesChannelFactory(name="B2B")
    published = ProductFactory(title="Published tee", sales_channels=[default_channel, channel])
    variant = ProductVariantFactory(product=published, inventory_quantity=50)
    draft = ProductFactory(
        title="Secret draft", status=ProductStatus.DRAFT, sales_channels=[default_channel]
    )
    ProductVariantFactory(product=draft)
    key = PublishableApiKeyFactory(title="Web storefront", sales_channels=[channel])

    open_cart = cart_create(
        region_id=region.pk,
        sales_channel_id=default_channel.pk,
        email="shopper@example.com",
        items=[ItemInput(variant_id=variant.pk, quantity=1)],
    )
    paid_cart = cart_create(
        region_id=region.pk,
        sales_channel_id=default_channel.pk,
        email="buyer@example.com",
        items=[ItemInput(variant_id=variant.pk, quantity=2)],
    )
    checkout_ready(paid_cart.pk, option_id=shipping.pk)
    order = cart_complete(cart_id=paid_cart.pk)
    return SecurityShop(
        admin=admin,
        token=token,
        region=region,
        shipping=shipping,
        default_channel=default_channel,
        channel=channel,
        published=published,
        draft=draft,
        key=key,
        variant_id=variant.pk,
        cart_id=open_cart.pk,
        line_id=open_cart.items.get().pk,
        order=order,
    )


APPS = ("commerce", "saleschannels", "customers", "catalog", "carts", "orders", "webhooks")


def fingerprint() -> dict[str, tuple]:
    """Row count and latest `updated_at` of every table of our apps (soft-deleted rows included)."""
    result = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            rows = model._base_manager.all()
            has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
            latest = rows.aggregate(latest=Max("updated_at"))["latest"] if has_updated_at else None
            result[model._meta.label] = (rows.count(), latest)
    return result
