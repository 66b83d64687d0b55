"""A small shop to check out in: helpers shared by the reliability tests (data through services)."""

from __future__ import annotations

from dataclasses import dataclass

from carts.services import ItemInput, cart_create
from catalog.models import ProductSalesChannel, ProductVariant
from commerce.models import Region, ShippingOption
from saleschannels.models import SalesChannel
from tests.catalog.factories import ProductFactory, ProductVariantFactory
from tests.commerce.factories import RegionFactory, ShippingOptionFactory
from tests.helpers import checkout_ready
from tests.saleschannels.factories import SalesChannelFactory


@dataclass(frozen=True)
class Shop:
    region: Region
    shipping: ShippingOption
    channel: SalesChannel


def shop_create() -> Shop:
    """A region (USD, 25 % tax) with a 10.00 shipping option, and a "B2B" channel."""
    region = RegionFactory(currency_code="usd", tax_rate=25)
    return Shop(
        region=region,
        shipping=ShippingOptionFactory(region=region, amount=1000),
        channel=SalesChannelFactory(name="B2B"),
    )


def variant_in(channel: SalesChannel, *, title: str, amount: int, stock: int) -> ProductVariant:
    """A variant (priced in USD) of a new product linked to `channel`."""
    return ProductVariantFactory(
        product=ProductFactory(title=title, sales_channels=[channel]),
        price__amount=amount,
        inventory_quantity=stock,
    )


def ready_cart(shop: Shop, items: list[ItemInput], *, channel: SalesChannel | None = None) -> str:
    """A cart of the shop's channel (or `channel`) with the items, shipping and payment selected."""
    cart = cart_create(
        region_id=shop.region.pk,
        sales_channel_id=(channel or shop.channel).pk,
        email="a@example.com",
        items=items,
    )
    checkout_ready(cart.pk, option_id=shop.shipping.pk)
    return cart.pk


def linked(channel_id: str | None, product_id: str | None) -> bool:
    """Is the product in the channel right now?"""
    return ProductSalesChannel.objects.filter(
        sales_channel_id=channel_id, product_id=product_id
    ).exists()
